"""The core, stage by stage: policy files (yamlfile, schemaerrors, loader) → the model (model,
kinds, vocabulary, conditions) → the compiled policy (compiler) → the decision (request,
requestjson, engine, decision, alternatives), behind one facade (api.Policy). Pure: files are
read by the loader only, and no module here reads the clock."""
