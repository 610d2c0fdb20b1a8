Feature: Communicating with students, parents and the community
  Staff should keep phone and electronic communication with students and parents to school
  business, and conduct electronic communication with students through a District account.
  Messages to students may not contain offensive material, speech to students, parents,
  colleagues and anyone else in the community must be respectful, and harmful statements
  should be avoided. Whatever goes through District devices, or through personal ones used for
  school purposes, may be monitored or disclosed under the Freedom of Information Act.

  Background: The 2015-11-18 revision, as read in the second edition
    Given the date is 2026-01-05

  # --- School business only (communications.school-business-only) ---

  @clause:communications.school-business-only
  Scenario: Can I text a parent about something personal?
    Given I am a teacher
    And I send a message
    And it goes by text message
    And it reaches a parent or guardian
    And it is personal
    When I ask the policy
    Then it is discouraged
    And it cites communications.school-business-only
    And it cites nothing else
    And I am told about discipline.permanence
    And I am told nothing else

  @clause:communications.school-business-only @clause:relationships.texting-and-calling
  Scenario: Can I call a parent on my cell phone about something personal?
    Given I am a coach
    And I make or take a call
    And it is a phone call
    And it reaches a parent or guardian
    And it is personal
    When I ask the policy
    Then it is discouraged
    And it cites communications.school-business-only
    And it does not cite relationships.texting-and-calling
    And it cites nothing else
    And I am not told about discipline.consequences

  @clause:communications.school-business-only @clause:social-media.self-expression
  @reading:student-rules-follow-audience
  Scenario: May I comment on a parent's Facebook post about something personal?
    Given I am a teacher
    And I post something
    And it is on social media
    And I use a personal account
    And it reaches a parent or guardian
    And it is personal
    When I ask the policy
    Then it is discouraged
    And it cites communications.school-business-only
    And it does not cite social-media.self-expression
    And it cites nothing else
    And I am told about social-media.personal-responsibility
    And I am told about discipline.permanence
    And I am told nothing else

  @clause:communications.school-business-only @clause:communications.monitoring-and-foia
  Scenario: Can I text a parent about a field trip from my personal phone?
    Given I am a teacher
    And I send a message
    And it goes by text message
    And I use a personal device
    And it reaches a parent or guardian
    And it is about school business
    When I ask the policy
    Then it is permitted
    And it cites nothing
    And I am told about communications.monitoring-and-foia
    And I am told about discipline.permanence
    And I am told nothing else

  @clause:communications.school-business-only @clause:relationships.peer-communication
  Scenario: May I write a personal letter to a student's parent?
    Given I am a teacher
    And I send a message
    And it is a letter on paper
    And it reaches a parent or guardian
    And it is personal
    When I ask the policy
    Then it is permitted
    And it cites nothing
    And I am told about discipline.permanence
    And I am told nothing else

  @clause:communications.school-business-only @clause:social-media.self-expression
  Scenario: May I friend a parent from my personal account?
    Given I am a teacher
    And I connect with someone online
    And it is on social media
    And I use a personal account
    And it reaches a parent or guardian
    And it is personal
    When I ask the policy
    Then it is permitted
    And it cites social-media.self-expression
    And it does not cite communications.school-business-only
    And it cites nothing else

  @clause:communications.school-business-only @clause:communications.monitoring-and-foia
  Scenario: Can I text a colleague from my personal phone about weekend plans?
    Given I am a teacher
    And I send a message
    And it goes by text message
    And I use a personal device
    And it reaches a staff member
    And it is personal
    When I ask the policy
    Then it is permitted
    And it cites nothing
    And I am not told about communications.monitoring-and-foia
    And I am told about discipline.permanence
    And I am told nothing else

  @clause:communications.school-business-only @reading:family
  Scenario: Can I text my own child's other parent about dinner?
    Given I am a teacher
    And I send a message
    And it goes by text message
    And it reaches a parent or guardian
    And everyone it reaches is my own family
    And it is personal
    When I ask the policy
    Then it is permitted
    And it does not cite communications.school-business-only
    And it cites nothing
    And I am told about discipline.permanence
    And I am told nothing else

  # --- District account (communications.district-email) ---

  @clause:communications.district-email @clause:communications.monitoring-and-foia
  Scenario: May I e-mail a student about homework from my personal account?
    Given I am a teacher
    And I send a message
    And it goes by e-mail
    And I use a personal account
    And it reaches a student
    And it is about school business
    When I ask the policy
    Then it is discouraged
    And it cites communications.district-email
    And it cites nothing else
    And I am told about communications.monitoring-and-foia
    And I am told about discipline.permanence
    And I am told nothing else

  @clause:communications.district-email @reading:any-district-account @reading:student-rules-follow-audience
  Scenario Outline: May I reach a student about homework by <channel> from my personal account?
    Given I am a teacher
    And <action>
    And <how>
    And I use a personal account
    And it reaches a student
    And it is about school business
    When I ask the policy
    Then it is discouraged
    And it cites communications.district-email
    And it cites nothing else

    Examples:
      | channel                   | action                | how                             |
      | text message              | I send a message      | it goes by text message         |
      | a messaging app           | I send a message      | it goes through a messaging app |
      | a post on social media    | I post something      | it is on social media           |
      | a class web site          | I post something      | it is on a web site             |
      | video call                | I make or take a call | it is a video call              |

  @clause:communications.district-email @reading:any-district-account
  Scenario Outline: May I reach a student about homework by <channel> from a District account?
    Given I am a teacher
    And <action>
    And <how>
    And I use a District account
    And it reaches a student
    And it is about school business
    When I ask the policy
    Then it is permitted
    And it cites nothing
    And I am told about monitoring.district-systems
    And I have no obligations

    Examples:
      | channel                         | action                | how                             |
      | the District's texting service  | I send a message      | it goes by text message         |
      | the District's messaging app    | I send a message      | it goes through a messaging app |
      | the District's learning platform | I post something     | it is on a web site             |
      | a District video call           | I make or take a call | it is a video call              |

  @clause:communications.district-email @clause:communications.monitoring-and-foia
  Scenario: May I e-mail a student about homework from my District account?
    Given I am a teacher
    And I send a message
    And it goes by e-mail
    And I use a District account
    And it reaches a student
    And it is about school business
    When I ask the policy
    Then it is permitted
    And it cites nothing
    And I am told about monitoring.district-systems
    And I am told about monitoring.definition
    And I am told about discipline.permanence
    And I am told nothing else
    And I have no obligations

  @clause:communications.district-email
  Scenario: May I e-mail a student about homework?
    Given I am a teacher
    And I send a message
    And it goes by e-mail
    And it reaches a student
    And it is about school business
    When I ask the policy
    Then the answer depends on facts not given
    And it could be permitted or discouraged
    And the policy needs to know the account
    And it cites communications.district-email
    And it cites nothing else

  @clause:communications.district-email
  Scenario Outline: May I reach a student about school work <how>?
    Given I am a teacher
    And <action>
    And <channel>
    And it reaches a student
    And it is about school business
    When I ask the policy
    Then it is permitted
    And it cites nothing

    Examples:
      | how                  | action                        | channel                 |
      | on the phone         | I make or take a call         | it is a phone call      |
      | in a letter          | I send a message              | it is a letter on paper |
      | in person            | I talk with someone in person | it is face to face      |

  @clause:communications.district-email @clause:communications.monitoring-and-foia
  Scenario: Can I e-mail a parent about homework from my personal account?
    Given I am a teacher
    And I send a message
    And it goes by e-mail
    And I use a personal account
    And it reaches a parent or guardian
    And it is about school business
    When I ask the policy
    Then it is permitted
    And it cites nothing
    And I am told about communications.monitoring-and-foia
    And I am told about discipline.permanence
    And I am told nothing else

  @clause:communications.district-email
  Scenario: May I post a homework reminder for students from the District's class account?
    Given I am a teacher
    And I post something
    And it is on social media
    And I use a District account
    And it reaches a student
    And it is about school business
    When I ask the policy
    Then it is permitted
    And it cites nothing
    And I am told about social-media.personal-responsibility
    And I am told about monitoring.district-systems
    And I am told about monitoring.definition
    And I am told about discipline.permanence
    And I am told nothing else

  # --- Offensive material to students (communications.prohibited-content) ---

  @clause:communications.prohibited-content
  Scenario Outline: May I send a student a message that is <kind>?
    Given I am a teacher
    And I send a message
    And it goes by e-mail
    And I use a District account
    And it reaches a student
    And it is about school business
    And <content>
    When I ask the policy
    Then it is prohibited
    And it cites communications.prohibited-content
    And it cites nothing else
    And I am told about discipline.investigation
    And I am told about discipline.consequences

    Examples:
      | kind                                | content                                   |
      | promoting illegal or unethical acts | it promotes illegal or unethical activity |
      | inappropriately personal            | it is inappropriately personal            |

  @clause:communications.prohibited-content @clause:communications.respectful-speech
  @reading:respectful-speech-named
  Scenario: May I forward a racist joke to a student by e-mail?
    Given I am a teacher
    And I send a message
    And it goes by e-mail
    And I use a District account
    And it reaches a student
    And it is personal
    And it is racist or sexist
    When I ask the policy
    Then it is prohibited
    And it cites communications.prohibited-content
    And it cites communications.respectful-speech
    And it cites relationships.peer-communication
    And it cites nothing else

  @clause:communications.prohibited-content @clause:communications.respectful-speech
  @reading:respectful-speech-addressed
  Scenario: May I swear at a student in an e-mail about their late homework?
    Given I am a teacher
    And I send a message
    And it goes by e-mail
    And I use a District account
    And it reaches a student
    And it is about school business
    And it is profane or obscene
    When I ask the policy
    Then it is prohibited
    And it cites communications.prohibited-content
    And it cites communications.respectful-speech
    And it cites nothing else

  @clause:communications.prohibited-content @clause:communications.respectful-speech
  Scenario: Is a profane, disrespectful e-mail to a colleague covered by the rule about students?
    Given I am a teacher
    And I send a message
    And it goes by e-mail
    And I use a District account
    And it reaches a staff member
    And it is profane or obscene
    And it is disrespectful
    When I ask the policy
    Then it is prohibited
    And it cites communications.respectful-speech
    And it does not cite communications.prohibited-content
    And it cites nothing else

  # --- Respectful speech (communications.respectful-speech) ---

  @clause:communications.respectful-speech
  Scenario Outline: May I be disrespectful in an e-mail to <whom>?
    Given I am a teacher
    And I send a message
    And it goes by e-mail
    And I use a District account
    And <audience>
    And it is about school business
    And it is disrespectful
    When I ask the policy
    Then it is prohibited
    And it cites communications.respectful-speech
    And it cites nothing else
    And I am told about discipline.investigation
    And I am told about discipline.consequences

    Examples:
      | whom                        | audience                           |
      | a student                   | it reaches a student               |
      | a parent                    | it reaches a parent or guardian    |
      | a colleague                 | it reaches a staff member          |
      | a member of the community   | it reaches a member of the community |
      | a public mailing list       | it reaches the public              |

  @clause:communications.respectful-speech @clause:communications.harmful-statements
  @reading:respectful-speech-named
  Scenario Outline: May I send <whom> an e-mail that is <kind>?
    Given I am a teacher
    And I send a message
    And it goes by e-mail
    And I use a District account
    And <audience>
    And it is about school business
    And <content>
    When I ask the policy
    Then it is prohibited
    And it cites communications.respectful-speech
    And it does not cite communications.harmful-statements
    And it cites nothing else
    And I am told about discipline.investigation
    And I am told about discipline.consequences
    And the explanation says "has not yet confirmed (communications.respectful-speech)"

    Examples:
      | whom                      | kind             | audience                             | content                 |
      | a colleague               | a racist joke    | it reaches a staff member            | it is racist or sexist  |
      | a parent                  | threatening      | it reaches a parent or guardian      | it is threatening       |
      | a student                 | discriminatory   | it reaches a student                 | it is discriminatory    |
      | a member of the community | abusive          | it reaches a member of the community | it is abusive           |

  @clause:communications.respectful-speech @clause:communications.harmful-statements
  @reading:respectful-speech-named
  Scenario Outline: May I post something <kind> on my personal account for anyone to see?
    Given I am a teacher
    And I post something
    And it is on social media
    And I use a personal account
    And it reaches the public
    And it is personal
    And <content>
    When I ask the policy
    Then it is prohibited
    And it cites communications.respectful-speech
    And it does not cite communications.harmful-statements
    And it cites nothing else
    And I am told about discipline.investigation
    And I am told about discipline.consequences

    Examples:
      | kind           | content              |
      | abusive        | it is abusive        |
      | discriminatory | it is discriminatory |
      | threatening    | it is threatening    |

  @clause:communications.respectful-speech @reading:respectful-speech-addressed
  Scenario: May I swear at a colleague in an e-mail?
    Given I am a teacher
    And I send a message
    And it goes by e-mail
    And I use a District account
    And it reaches a staff member
    And it is about school business
    And it is profane or obscene
    When I ask the policy
    Then it is prohibited
    And it cites communications.respectful-speech
    And it cites nothing else
    And I am told about discipline.investigation
    And I am told about discipline.consequences

  @clause:communications.respectful-speech @clause:social-media.professional-judgment
  @reading:respectful-speech-addressed
  Scenario: May I swear in a public post on my own account?
    Given I am a teacher
    And I post something
    And it is on social media
    And I use a personal account
    And it reaches the public
    And it is personal
    And it is profane or obscene
    When I ask the policy
    Then it is discouraged
    And it cites social-media.professional-judgment
    And it does not cite communications.respectful-speech
    And it cites nothing else
    And I am not told about discipline.investigation

  @clause:communications.respectful-speech @reading:former-student
  Scenario: May I send a rude e-mail to a former student?
    Given I am a teacher
    And I send a message
    And it goes by e-mail
    And I use a personal account
    And it reaches a former student
    And it is personal
    And it is disrespectful
    When I ask the policy
    Then it is prohibited
    And it cites communications.respectful-speech
    And it cites nothing else
    And I am told about discipline.investigation
    And I am told about discipline.consequences

  @clause:communications.respectful-speech @reading:former-student @reading:respectful-speech-addressed
  Scenario: May I send a sexually explicit message to a former student?
    Given I am a coach
    And I send a message
    And it goes by text message
    And it reaches a former student
    And it is personal
    And it is sexually explicit
    When I ask the policy
    Then it is prohibited
    And it cites communications.respectful-speech
    And it cites nothing else

  @clause:communications.respectful-speech @clause:relationships.peer-communication
  Scenario: May I post something disrespectful on my personal account without saying who will see it?
    Given I am a teacher
    And I post something
    And it is on social media
    And I use a personal account
    And it is personal
    And it is disrespectful
    When I ask the policy
    Then the answer depends on facts not given
    And it could be permitted or prohibited
    And the policy needs to know the audience
    And it cites communications.respectful-speech
    And it cites relationships.peer-communication
    And it cites communications.school-business-only
    And it cites communications.district-email
    And it cites nothing else

  @clause:communications.respectful-speech @clause:communications.harmful-statements
  @reading:respectful-speech-named
  Scenario: Is an abusive e-mail prohibited when I don't say who it goes to?
    Given I am a teacher
    And I send a message
    And it goes by e-mail
    And I use a District account
    And it is about school business
    And it is abusive
    When I ask the policy
    Then the answer depends on facts not given
    And it could be discouraged or prohibited
    And the policy needs to know the audience
    And it cites communications.respectful-speech
    And it cites nothing else

  @clause:communications.respectful-speech
  Scenario: May I e-mail a parent a frank but respectful concern about their child?
    Given I am a teacher
    And I send a message
    And it goes by e-mail
    And I use a District account
    And it reaches a parent or guardian
    And it is about school business
    When I ask the policy
    Then it is permitted
    And it cites nothing
    And I am not told about discipline.consequences

  # --- Harmful statements (communications.harmful-statements) ---

  @clause:communications.harmful-statements
  Scenario: May I criticize the District in a post on my personal account?
    Given I am a teacher
    And I post something
    And it is on social media
    And I use a personal account
    And it reaches the public
    And it is personal
    And it reflects badly on the District
    When I ask the policy
    Then it is discouraged
    And it cites communications.harmful-statements
    And it cites nothing else
    And I am told about social-media.personal-responsibility
    And I am told about discipline.permanence
    And I am told nothing else

  @clause:communications.harmful-statements @clause:communications.respectful-speech
  Scenario: May I post something defamatory on my personal account?
    Given I am a teacher
    And I post something
    And it is on social media
    And I use a personal account
    And it reaches the public
    And it is personal
    And it is defamatory
    When I ask the policy
    Then it is discouraged
    And it cites communications.harmful-statements
    And it does not cite communications.respectful-speech
    And it cites nothing else

  @clause:communications.harmful-statements @clause:discipline.grounds @clause:communications.respectful-speech
  @reading:respectful-speech-named
  Scenario: May I post something harassing on my personal account?
    Given I am a teacher
    And I post something
    And it is on social media
    And I use a personal account
    And it reaches the public
    And it is harassing
    When I ask the policy
    Then it is prohibited
    And it cites discipline.grounds
    And it cites communications.respectful-speech
    And it does not cite communications.harmful-statements
    And it cites nothing else

  @clause:communications.harmful-statements @clause:social-media.self-expression
  Scenario: May I post my opinion on a local issue on my personal account?
    Given I am a teacher
    And I post something
    And it is on social media
    And I use a personal account
    And it reaches the public
    And it is personal
    When I ask the policy
    Then it is permitted
    And it cites social-media.self-expression
    And it does not cite communications.harmful-statements
    And it cites nothing else

  # --- Monitoring and FOIA (communications.monitoring-and-foia) ---

  @clause:communications.monitoring-and-foia
  Scenario: Is a personal e-mail I send from my school laptop private?
    Given I am a teacher
    And I send a message
    And it goes by e-mail
    And I use a personal account
    And I use a District device
    And it reaches a staff member
    And it is personal
    When I ask the policy
    Then it is permitted
    And it cites nothing
    And I am told about communications.monitoring-and-foia
    And I am told about monitoring.definition
    And I am told about discipline.permanence
    And I am told nothing else

  @clause:communications.monitoring-and-foia
  Scenario: Can my personal e-mail be disclosed if I use it to plan a school event with parents?
    Given I am an administrator
    And I send a message
    And it goes by e-mail
    And I use a personal account
    And it reaches a parent or guardian
    And it is about school business
    When I ask the policy
    Then it is permitted
    And it cites nothing
    And I am told about communications.monitoring-and-foia
    And I am told about discipline.permanence
    And I am told nothing else

  @clause:communications.monitoring-and-foia @reading:foia-school-purposes
  Scenario: Can my texts with parents about team practice be disclosed if I send them from my own phone?
    Given I am a coach
    And I send a message
    And it goes by text message
    And I use a personal device
    And it reaches a parent or guardian
    And it is for an extracurricular activity
    When I ask the policy
    Then it is permitted
    And it cites nothing
    And I am told about communications.monitoring-and-foia
    And I am told about discipline.permanence
    And I am told nothing else

  @clause:communications.monitoring-and-foia @reading:foia-school-purposes
  Scenario: Can a counseling call I make to a student from my own cell phone be disclosed?
    Given I am a school counselor
    And I make or take a call
    And it is a phone call
    And I use a personal device
    And it reaches a student
    And it is for counseling
    When I ask the policy
    Then it is permitted
    And it cites nothing
    And I am told about communications.monitoring-and-foia
    And I am told about discipline.permanence
    And I am told nothing else
