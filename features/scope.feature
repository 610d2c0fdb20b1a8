Feature: What the policy covers
  The policy is about electronic communication and social media: e-mail, texts, apps, web
  sites and social networks. It restricts only what its clauses say. An ordinary
  conversation about school work with a colleague, a phone call or a District e-mail, is
  simply allowed; the policy's only word on it is a reminder that written and electronic
  communications can last for a long time.

  Background: The 2015-11-18 revision, as read in the second edition
    Given the date is 2026-01-05

  @clause:scope.purpose
  Scenario: Can I talk with a colleague in the hallway about tomorrow's lesson?
    Given I am a teacher
    And I talk with someone in person
    And it is face to face
    And it reaches a staff member
    And it is about school business
    When I ask the policy
    Then it is permitted
    And it cites nothing
    And I am told nothing
    And I have no obligations

  @clause:scope.purpose
  Scenario: Can I meet a parent at school to talk about their child's progress?
    Given I am a teacher
    And I talk with someone in person
    And it is face to face
    And it reaches a parent or guardian
    And it is about school business
    When I ask the policy
    Then it is permitted
    And it cites nothing
    And I am told nothing
    And I have no obligations

  @clause:scope.definition
  Scenario: Does the policy say anything about e-mailing a colleague from my District account?
    Given I am a paraprofessional
    And I send a message
    And it goes by e-mail
    And I use a District account
    And it reaches a staff member
    And it is about school business
    When I ask the policy
    Then it is permitted
    And it cites nothing
    And I am told about monitoring.district-systems
    And I am told about monitoring.definition
    And I am told about discipline.permanence
    And I am told nothing else
    And I have no obligations
