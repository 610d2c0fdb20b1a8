Feature: Discipline
  The District may discipline an employee for electronic communications, online postings or
  personal use of social media that disrupt the District's work, harass, create a hostile work
  environment, breach confidentiality, harm the District's reputation, or break the law or a
  District rule. A possible violation reported to administrators will be investigated, and a
  violation may lead to discipline up to termination. Posts and messages may last forever.

  Background: The 2015-11-18 revision, as read in the second edition
    Given the date is 2026-01-05

  # --- Grounds for discipline ----------------------------------------------------------------

  @clause:discipline.grounds @clause:discipline.investigation @clause:discipline.consequences @clause:discipline.permanence
  Scenario Outline: Can I send an e-mail from my own account that <what>?
    Given I am a teacher
    And I send a message
    And it goes by e-mail
    And I use a personal account
    And it reaches a staff member
    And <fact>
    When I ask the policy
    Then it is prohibited
    And it cites discipline.grounds
    And it cites nothing else
    And I am told about discipline.investigation
    And I am told about discipline.consequences
    And I am told about discipline.permanence
    And I am told nothing else
    And I have no obligations

    Examples:
      | what                                          | fact                                      |
      | shares a student's confidential records       | it discloses confidential information     |
      | disrupts the District's work                  | it disrupts the District's work           |
      | creates a hostile work environment            | it creates a hostile work environment     |
      | harms the District's reputation               | it harms the District's reputation        |
      | breaks the law or a District rule             | it breaks the law or a District rule      |

  @clause:discipline.grounds @clause:communications.respectful-speech @reading:respectful-speech-named
  Scenario: Can I send a colleague a harassing e-mail from my own account?
    Given I am a teacher
    And I send a message
    And it goes by e-mail
    And I use a personal account
    And it reaches a staff member
    And it is harassing
    When I ask the policy
    Then it is prohibited
    And it cites discipline.grounds
    And it cites communications.respectful-speech
    And it cites nothing else
    And I am told about discipline.investigation
    And I am told about discipline.consequences
    And I am told about discipline.permanence
    And I am told nothing else

  @clause:discipline.grounds @clause:discipline.permanence
  Scenario: Can I be disciplined for something I say face to face, not online?
    Given I am a teacher
    And I talk with someone in person
    And it is face to face
    And it reaches a staff member
    And it creates a hostile work environment
    When I ask the policy
    Then it is prohibited
    And it cites discipline.grounds
    And it cites nothing else
    And I am told about discipline.investigation
    And I am told about discipline.consequences
    And I am not told about discipline.permanence
    And I am told nothing else

  @clause:discipline.grounds @clause:discipline.investigation @clause:discipline.consequences
  Scenario: Is a critical remark about the District the same as harming its reputation?
    Given I am a teacher
    And I send a message
    And it goes by e-mail
    And I use a personal account
    And it reaches a staff member
    And it reflects badly on the District
    When I ask the policy
    Then it is discouraged
    And it cites communications.harmful-statements
    And it does not cite discipline.grounds
    And it cites nothing else
    And I am not told about discipline.investigation
    And I am not told about discipline.consequences
    And I am told about discipline.permanence
    And I am told nothing else

  @clause:discipline.grounds
  Scenario: Is a disrespectful post a violation even if it harasses no one and does not hurt the District?
    Given I am a teacher
    And I post something
    And it is on social media
    And I use a personal account
    And it reaches the public
    And it is disrespectful
    When I ask the policy
    Then it is prohibited
    And it cites communications.respectful-speech
    And it does not cite discipline.grounds
    And it cites nothing else
    And I am told about discipline.investigation
    And I am told about discipline.consequences

  # --- Investigation and consequences --------------------------------------------------------

  @clause:discipline.investigation @clause:discipline.consequences
  Scenario: If a parent shows the principal a post of mine that is only discouraged, will it be investigated as a violation?
    Given I am a teacher
    And I post something
    And it is on social media
    And I use a personal account
    And it reaches the public
    And it is profane or obscene
    When I ask the policy
    Then it is discouraged
    And I am not told about discipline.investigation
    And I am not told about discipline.consequences

  @clause:discipline.investigation @clause:discipline.consequences
  Scenario: Am I warned about discipline when something only needs my supervisor's approval first?
    Given I am a teacher
    And I post something
    And it is on social media
    And I use a personal account
    And it reaches the public
    And I am unsure whether it is confidential
    And I have not consulted my supervisor
    When I ask the policy
    Then it needs approval first
    And I am not told about discipline.investigation
    And I am not told about discipline.consequences

  # --- Permanence ----------------------------------------------------------------------------

  @clause:discipline.permanence
  Scenario: Will a note I send home on paper last forever too?
    Given I am a teacher
    And I send a message
    And it is a letter on paper
    And it reaches a parent or guardian
    And it is about school business
    When I ask the policy
    Then it is permitted
    And it cites nothing
    And I am told about discipline.permanence
    And I am told nothing else
    And I have no obligations

  @clause:discipline.permanence
  Scenario: Can I chat with a colleague about my weekend in the hallway?
    Given I am a teacher
    And I talk with someone in person
    And it is face to face
    And it reaches a staff member
    And it is personal
    When I ask the policy
    Then it is permitted
    And it cites nothing
    And I am not told about discipline.permanence
    And I am told nothing
    And I have no obligations

  @clause:discipline.permanence @reading:permanence-not-browsing
  Scenario: Do the news pages I read online count among my postings that last indefinitely?
    Given I am a teacher
    And I browse or read online
    And it is on a web site
    And I use a personal device
    When I ask the policy
    Then it is permitted
    And it cites nothing
    And I am not told about discipline.permanence
    And I am told nothing
