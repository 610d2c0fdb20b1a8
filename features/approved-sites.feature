Feature: School social media sites
  A staff member who wants to use social media as a teaching tool, or for a school-sponsored
  extracurricular activity, tells the immediate supervisor before setting the site up, and
  waits for approval. Once the site is approved, the employee notifies the parents of students
  who need access, monitors the site, keeps it within District policy, and never uses it for
  private gain, proselytizing, solicitation, political or commercial purposes, or anything
  unlawful. Until these duties are known to be done the answer holds "provided you" do them;
  when one is known not to be done, using the site is not allowed yet.

  Background: The 2015-11-18 revision, as read in the second edition
    Given the date is 2026-01-05

  # --- Telling the supervisor first ----------------------------------------------------------

  @clause:approved-sites.prior-notice
  Scenario: Do I need to tell anyone before I set up a class Instagram?
    Given I am a teacher
    And I set up a site
    And it is on social media
    And a school social media site is involved
    And the site is for instruction
    And the site has not been approved
    And I did not inform my supervisor before setting up the site
    And it reaches a student
    And it is about school business
    When I ask the policy
    Then it needs approval first
    And it cites approved-sites.prior-notice
    And it cites nothing else
    And my obligation under approved-sites.prior-notice is not yet met
    And I have no other obligations
    And I am told about discipline.permanence
    And I am not told about discipline.investigation
    And I am not told about discipline.consequences
    And I am told nothing else
    And the explanation says "Not yet: first inform your immediate supervisor before establishing the site."

  @clause:approved-sites.prior-notice @reading:school-sites-by-activity @reading:open-site-facts
  Scenario: Can I set up an Instagram account for my team?
    Given I am a coach
    And I set up a site
    And it is on social media
    And it is for an extracurricular activity
    When I ask the policy
    Then it needs approval first
    And it cites approved-sites.prior-notice
    And it cites nothing else
    And my obligation under approved-sites.prior-notice is not known yet
    And I have no other obligations
    And the explanation says "provided you inform your immediate supervisor before establishing the site"

  @clause:approved-sites.prior-notice @reading:school-sites-by-activity
  Scenario: Do I need approval to set up a web site for everyone to read?
    Given I am a teacher
    And I set up a site
    And it is on a web site
    And it reaches the public
    When I ask the policy
    Then the answer depends on facts not given
    And it could be permitted or needing approval
    And the policy needs to know the purpose
    And it cites approved-sites.prior-notice
    And it cites nothing else

  @clause:approved-sites.prior-notice @clause:communications.district-email @clause:relationships.personal-relationships
  @reading:school-sites-by-activity @reading:addressed-not-seen
  Scenario: Can I start my own cooking blog, even though some of my students might read it?
    Given I am a teacher
    And I set up a site
    And it is on a web site
    And I use a personal account
    And it reaches the public
    And a student can see it
    And it is personal
    When I ask the policy
    Then it is permitted
    And it does not cite approved-sites.prior-notice
    And it does not cite relationships.personal-relationships
    And it cites nothing
    And I have no obligations
    And I am told about discipline.permanence

  @clause:relationships.personal-relationships @reading:personal-spaces
  Scenario: Can I start a blog just for my students, about my weekends?
    Given I am a teacher
    And I set up a site
    And it is on a web site
    And I use a personal account
    And it reaches a student
    And it is personal
    When I ask the policy
    Then it is prohibited
    And it cites relationships.personal-relationships
    And it cites nothing else

  @clause:approved-sites.prior-notice @reading:school-sites-by-activity
  Scenario: I told my principal about the robotics club page, but it hasn't been approved yet. Can I start posting?
    Given I am a coach
    And I post something
    And it is on social media
    And it is for an extracurricular activity
    And a school social media site is involved
    And the site is for an extracurricular activity
    And the site has not been approved
    And I informed my supervisor before setting up the site
    And it reaches a student
    When I ask the policy
    Then it needs approval first
    And it cites approved-sites.prior-notice
    And it cites nothing else
    And my obligation under approved-sites.prior-notice is met
    And I have no other obligations
    And the explanation says "What you had to do first is done, but approval is still pending."

  @clause:approved-sites.prior-notice
  Scenario: Can I e-mail my supervisor about the class site I'd like to set up?
    Given I am a teacher
    And I send a message
    And it goes by e-mail
    And I use a District account
    And it reaches a staff member
    And it is about school business
    And a school social media site is involved
    And the site is for instruction
    And the site has not been approved
    When I ask the policy
    Then it is permitted
    And it does not cite approved-sites.prior-notice
    And it cites nothing
    And I have no obligations

  @clause:approved-sites.prior-notice @clause:approved-sites.parent-notification @clause:approved-sites.content-monitoring @clause:approved-sites.policy-compliance
  @clause:communications.district-email @reading:any-district-account
  Scenario: Once my class page is approved, can I post homework reminders on it?
    Given I am a teacher
    And I post something
    And it is on social media
    And it is about school business
    And a school social media site is involved
    And the site is for instruction
    And the site has been approved
    And parents have been notified of the site
    And I monitor the site regularly
    And it reaches a student
    When I ask the policy
    Then it is permitted
    And it cites nothing
    And my obligation under approved-sites.parent-notification is met
    And my obligation under approved-sites.content-monitoring is met
    And my obligation under approved-sites.policy-compliance is not known yet
    And I have no other obligations
    And I am told about social-media.personal-responsibility
    And I am told about discipline.permanence
    And I am told nothing else

  # --- Parents are notified ------------------------------------------------------------------

  @clause:approved-sites.parent-notification @reading:unmet-obligation-not-allowed
  Scenario: My class page is approved, but I haven't told parents about it yet. Can my students start using it?
    Given I am a teacher
    And I post something
    And it is on social media
    And it is about school business
    And a school social media site is involved
    And the site has been approved
    And parents have not been notified of the site
    And I monitor the site regularly
    And it reaches a student
    When I ask the policy
    Then it needs approval first
    And it cites approved-sites.parent-notification
    And it cites nothing else
    And my obligation under approved-sites.parent-notification is not yet met
    And my obligation under approved-sites.content-monitoring is met
    And my obligation under approved-sites.policy-compliance is not known yet
    And I have no other obligations
    And I am not told about discipline.consequences
    And the explanation says "Not yet: first notify the parents or guardians of students who need access to the site"

  @clause:approved-sites.parent-notification @reading:open-site-facts
  Scenario: My class page is approved and I check it every day. Can I post the reading list for my students?
    Given I am a teacher
    And I post something
    And it is on social media
    And it is about school business
    And a school social media site is involved
    And the site has been approved
    And I monitor the site regularly
    And it reaches a student
    When I ask the policy
    Then it is permitted
    And it cites nothing
    And my obligation under approved-sites.parent-notification is not known yet
    And my obligation under approved-sites.content-monitoring is met
    And my obligation under approved-sites.policy-compliance is not known yet
    And I have no other obligations
    And the explanation says "This holds provided you notify the parents or guardians of students who need access"

  @clause:approved-sites.parent-notification
  Scenario: Do I need to notify parents about an approved PTO page that only parents see?
    Given I am an administrator
    And I post something
    And it is on social media
    And it is about school business
    And a school social media site is involved
    And the site has been approved
    And parents have not been notified of the site
    And I monitor the site regularly
    And it reaches a parent or guardian
    When I ask the policy
    Then it is permitted
    And it cites nothing
    And my obligation under approved-sites.content-monitoring is met
    And my obligation under approved-sites.policy-compliance is not known yet
    And I have no other obligations

  # --- Monitoring the site and keeping it within policy ----------------------------------------

  @clause:approved-sites.content-monitoring @clause:approved-sites.policy-compliance
  @reading:unmet-obligation-not-allowed
  Scenario: The team page is approved. Is it enough to post the schedule and never look at the comments?
    Given I am a coach
    And I post something
    And it is on social media
    And it is for an extracurricular activity
    And a school social media site is involved
    And the site is for an extracurricular activity
    And the site has been approved
    And I do not monitor the site
    And it reaches the public
    When I ask the policy
    Then it needs approval first
    And it cites approved-sites.content-monitoring
    And it cites nothing else
    And my obligation under approved-sites.content-monitoring is not yet met
    And my obligation under approved-sites.policy-compliance is not known yet
    And I have no other obligations
    And the explanation says "Not yet: first monitor the site's content regularly"

  @clause:approved-sites.content-monitoring @clause:approved-sites.policy-compliance @reading:open-site-facts
  Scenario: The team page is approved. Can I post this week's game schedule on it?
    Given I am a coach
    And I post something
    And it is on social media
    And it is for an extracurricular activity
    And a school social media site is involved
    And the site is for an extracurricular activity
    And the site has been approved
    And it reaches the public
    When I ask the policy
    Then it is permitted
    And it cites nothing
    And my obligation under approved-sites.content-monitoring is not known yet
    And my obligation under approved-sites.policy-compliance is not known yet
    And I have no other obligations
    And the explanation says "This holds provided you monitor the site's content regularly"

  @clause:approved-sites.content-monitoring @clause:approved-sites.policy-compliance
  Scenario: Do the approved-site duties apply to a class site that hasn't been approved yet?
    Given I am a teacher
    And I set up a site
    And it is on social media
    And a school social media site is involved
    And the site has not been approved
    And I informed my supervisor before setting up the site
    And I do not monitor the site
    And it reaches the public
    When I ask the policy
    Then it needs approval first
    And it cites approved-sites.prior-notice
    And it cites nothing else
    And my obligation under approved-sites.prior-notice is met
    And I have no other obligations

  # --- Prohibited uses -----------------------------------------------------------------------

  @clause:approved-sites.prohibited-uses @clause:discipline.investigation @clause:discipline.consequences
  Scenario Outline: Can I use our approved class page <for what>?
    Given I am a teacher
    And I post something
    And it is on social media
    And a school social media site is involved
    And the site has been approved
    And I monitor the site regularly
    And it reaches the public
    And <use>
    When I ask the policy
    Then it is prohibited
    And it cites approved-sites.prohibited-uses
    And it cites nothing else
    And I am told about discipline.investigation
    And I am told about discipline.consequences
    And I am told about social-media.personal-responsibility
    And I am told about discipline.permanence
    And I am told nothing else

    Examples:
      | for what                                  | use                                              |
      | to sell my summer tutoring sessions       | the site is used for private financial gain      |
      | to invite families to my church           | the site is used for proselytizing               |
      | to collect donations for a friend         | the site is used for solicitation                |
      | to support a candidate for the school board | the site is used for political purposes        |
      | to advertise a local business             | the site is used for commercial purposes         |
      | to share pirated copies of a textbook     | the site is used for something the law forbids   |

  @clause:approved-sites.prohibited-uses @clause:approved-sites.prior-notice
  Scenario: Does telling my supervisor first make it all right to sell things on a class page?
    Given I am a teacher
    And I set up a site
    And it is on social media
    And a school social media site is involved
    And the site has not been approved
    And I informed my supervisor before setting up the site
    And the site is used for commercial purposes
    When I ask the policy
    Then it is prohibited
    And it cites approved-sites.prohibited-uses
    And it cites nothing else
    And my obligation under approved-sites.prior-notice is met

  @clause:approved-sites.prohibited-uses @clause:social-media.self-expression
  Scenario: Can I advertise my summer tutoring business on my own Facebook page?
    Given I am a teacher
    And I post something
    And it is on social media
    And I use a personal account
    And it reaches the public
    And it is personal
    When I ask the policy
    Then it is permitted
    And it does not cite approved-sites.prohibited-uses
    And it cites social-media.self-expression
    And it cites nothing else
    And I have no obligations
