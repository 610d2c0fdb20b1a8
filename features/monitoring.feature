Feature: Electronic monitoring
  Under Connecticut law the District may monitor communications made on school telephones and
  District e-mail accounts, and any activity that uses a District server, on any device. The
  policy quotes the statutory definition of "electronic monitoring" alongside these notices.

  Background: The 2015-11-18 revision, as read in the second edition
    Given the date is 2026-01-05

  @clause:monitoring.district-systems @clause:monitoring.definition
  Scenario: Can I e-mail a colleague about school business from my school account?
    Given I am a teacher
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

  @clause:monitoring.district-systems @clause:monitoring.definition
  Scenario: Can I call a parent from my classroom phone?
    Given I am a teacher
    And I make or take a call
    And it is a phone call
    And I use a District device
    And it reaches a parent or guardian
    And it is about school business
    When I ask the policy
    Then it is permitted
    And it cites nothing
    And I am told about monitoring.district-systems
    And I am told about monitoring.definition
    And I am told about communications.monitoring-and-foia
    And I am told about discipline.permanence
    And I am told nothing else

  @clause:monitoring.district-systems @clause:monitoring.definition
  Scenario: Can I make a personal call to a colleague on my own cell phone while it is on the school Wi-Fi?
    Given I am a teacher
    And I make or take a call
    And it is a phone call
    And I use a personal device
    And it uses the District network
    And it reaches a staff member
    And it is personal
    When I ask the policy
    Then it is permitted
    And I am told about monitoring.district-systems
    And I am told about monitoring.definition
    And I am told about discipline.permanence
    And I am told nothing else

  @clause:monitoring.district-systems @clause:monitoring.definition
  Scenario: Can I make a personal call to a colleague on my own cell phone and my own phone plan?
    Given I am a teacher
    And I make or take a call
    And it is a phone call
    And I use a personal device
    And it uses another network
    And it reaches a staff member
    And it is personal
    When I ask the policy
    Then it is permitted
    And it cites nothing
    And I am not told about monitoring.district-systems
    And I am not told about monitoring.definition
    And I am told about discipline.permanence
    And I am told nothing else

  @clause:monitoring.district-systems @clause:monitoring.definition @clause:communications.monitoring-and-foia
  Scenario: Can I e-mail a colleague from my own Gmail on my school laptop at home?
    Given I am a teacher
    And I send a message
    And it goes by e-mail
    And I use a personal account
    And I use a District device
    And it uses another network
    And I am not on school property
    And it reaches a staff member
    And it is personal
    When I ask the policy
    Then it is permitted
    And I am not told about monitoring.district-systems
    And I am told about communications.monitoring-and-foia
    And I am told about monitoring.definition
    And I am told about discipline.permanence
    And I am told nothing else

  @clause:monitoring.district-systems @clause:monitoring.definition
  Scenario: Can I chat with a colleague in the hallway about something personal?
    Given I am a teacher
    And I talk with someone in person
    And it is face to face
    And I am on school property
    And it reaches a staff member
    And it is personal
    When I ask the policy
    Then it is permitted
    And it cites nothing
    And I am told nothing
