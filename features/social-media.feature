Feature: Social media
  Staff have the right of self-expression on their own social media, and they remain Ledyard
  Public Schools employees when they use it: they are responsible for what they post, they keep
  confidential information confidential, they exercise professional judgment, and they follow
  the District's acceptable-use rules on District equipment and on school property.

  Background: The 2015-11-18 revision, as read in the second edition
    Given the date is 2026-01-05

  # --- Self-expression -----------------------------------------------------------------------

  @clause:social-media.self-expression @clause:social-media.personal-responsibility @clause:discipline.permanence
  Scenario: Can I post about my weekend on my own Facebook page?
    Given I am a teacher
    And I post something
    And it is on social media
    And I use a personal account
    And I use a personal device
    And I am not on school property
    And it reaches the public
    And it is personal
    When I ask the policy
    Then it is permitted
    And it cites social-media.self-expression
    And it cites nothing else
    And I am told about social-media.personal-responsibility
    And I am told about discipline.permanence
    And I am told nothing else
    And I have no obligations

  @clause:social-media.self-expression
  Scenario: Can I follow a colleague on Instagram from my own account?
    Given I am a teacher
    And I connect with someone online
    And it is on social media
    And I use a personal account
    And it reaches a staff member
    When I ask the policy
    Then it is permitted
    And it cites social-media.self-expression
    And it cites nothing else
    And I am told about discipline.permanence
    And I am told nothing else
    And I have no obligations

  @clause:social-media.self-expression @clause:discipline.permanence @reading:permanence-not-browsing
  Scenario: Is just scrolling through my own social media feed covered by my right of self-expression?
    Given I am a teacher
    And I browse or read online
    And it is on social media
    And I use a personal account
    And I use a personal device
    When I ask the policy
    Then it is permitted
    And it cites nothing
    And I am not told about discipline.permanence
    And I am told nothing
    And I have no obligations

  @clause:social-media.self-expression @clause:monitoring.district-systems
  Scenario: Is a post from the school's own social media account my personal self-expression?
    Given I am a teacher
    And I post something
    And it is on social media
    And I use a District account
    And it reaches the public
    When I ask the policy
    Then it is permitted
    And it cites nothing
    And I am told about social-media.personal-responsibility
    And I am told about monitoring.district-systems
    And I am told about monitoring.definition
    And I am told about discipline.permanence
    And I am told nothing else

  @clause:social-media.self-expression
  Scenario: Does the self-expression clause cover my personal blog, which is not social media?
    Given I am a teacher
    And I post something
    And it is on a web site
    And I use a personal account
    And it reaches the public
    When I ask the policy
    Then it is permitted
    And it cites nothing
    And I am told about social-media.personal-responsibility
    And I am told about discipline.permanence
    And I am told nothing else

  # --- Disclaimers ---------------------------------------------------------------------------

  @clause:social-media.disclaimers
  Scenario: If I post under a different user name, does the policy still apply to me?
    Given I am a teacher
    And I post something
    And it is on social media
    And I use a personal account
    And it reaches the public
    And I use a disclaimer or another user name
    When I ask the policy
    Then it is permitted
    And it cites social-media.self-expression
    And it cites nothing else
    And I am told about social-media.disclaimers
    And I am told about social-media.personal-responsibility
    And I am told about discipline.permanence
    And I am told nothing else

  @clause:social-media.disclaimers @clause:social-media.student-conduct-images
  Scenario: Does a "views are my own" disclaimer make it all right to post a photo of students breaking school rules?
    Given I am a teacher
    And I post something
    And it is on social media
    And I use a personal account
    And it reaches the public
    And it shows students doing something they are not allowed to do
    And I use a disclaimer or another user name
    When I ask the policy
    Then it is prohibited
    And it cites social-media.student-conduct-images
    And it cites nothing else
    And I am told about social-media.disclaimers

  @clause:social-media.disclaimers
  Scenario: Do I get the disclaimer reminder when I post under my own name?
    Given I am a teacher
    And I post something
    And it is on social media
    And I use a personal account
    And it reaches the public
    And I use no disclaimer or other user name
    When I ask the policy
    Then it is permitted
    And I am not told about social-media.disclaimers

  # --- Personal responsibility ---------------------------------------------------------------

  @clause:social-media.personal-responsibility
  Scenario: Am I personally responsible for a page I merely read?
    Given I am a teacher
    And I browse or read online
    And it is on social media
    And I use a personal account
    When I ask the policy
    Then it is permitted
    And I am not told about social-media.personal-responsibility

  # --- Professional judgment -----------------------------------------------------------------

  @clause:social-media.professional-judgment @clause:discipline.investigation @clause:discipline.consequences
  @reading:text-named-examples
  Scenario Outline: May I post a photo that <what> on my own Instagram?
    Given I am a teacher
    And I post something
    And it is on social media
    And I use a personal account
    And it reaches the public
    And it is personal
    And <content>
    When I ask the policy
    Then it is prohibited
    And it cites social-media.professional-judgment
    And it cites nothing else
    And I am told about social-media.personal-responsibility
    And I am told about discipline.investigation
    And I am told about discipline.consequences
    And I am told about discipline.permanence
    And I am told nothing else
    And I have no obligations

    Examples:
      | what                                    | content                           |
      | is provocative, from a party            | it contains a provocative image   |
      | shows me smoking marijuana              | it shows illegal drug use         |

  @clause:social-media.professional-judgment @clause:communications.respectful-speech
  @reading:respectful-speech-addressed @reading:text-named-examples
  Scenario Outline: Should I post something <what> on my own account for anyone to see?
    Given I am a teacher
    And I post something
    And it is on social media
    And I use a personal account
    And it reaches the public
    And it is personal
    And <content>
    When I ask the policy
    Then it is discouraged
    And it cites social-media.professional-judgment
    And it does not cite communications.respectful-speech
    And it cites nothing else
    And I am told about social-media.personal-responsibility
    And I am told about discipline.permanence
    And I am told nothing else

    Examples:
      | what                      | content                  |
      | profane                   | it is profane or obscene |
      | sexualized                | it is sexualized         |

  @clause:social-media.professional-judgment @clause:social-media.personal-liability @reading:text-named-examples
  Scenario: May I post a sexually explicit joke on my public X account?
    Given I am a teacher
    And I post something
    And it is on social media
    And I use a personal account
    And it reaches the public
    And it is sexually explicit
    When I ask the policy
    Then it is prohibited
    And it cites social-media.professional-judgment
    And it cites nothing else
    And I am told about social-media.personal-liability
    And I am told about social-media.personal-responsibility
    And I am told about discipline.investigation
    And I am told about discipline.consequences
    And I am told about discipline.permanence
    And I am told nothing else
    And the explanation says "This is prohibited under “Use professional judgment when posting”"

  @clause:social-media.professional-judgment @reading:text-named-examples
  Scenario: May I post a photo from the party that is neither provocative nor explicit?
    Given I am a teacher
    And I post something
    And it is on social media
    And I use a personal account
    And it reaches the public
    And it is personal
    When I ask the policy
    Then it is permitted
    And it does not cite social-media.professional-judgment
    And it cites social-media.self-expression
    And it cites nothing else

  @clause:social-media.professional-judgment @reading:text-named-examples
  Scenario: Does the guidance on profane posts cover swearing in a speech at a town meeting?
    Given I am a teacher
    And I talk with someone in person
    And it is face to face
    And it reaches the public
    And it is personal
    And it is profane or obscene
    When I ask the policy
    Then it is permitted
    And it does not cite social-media.professional-judgment
    And it cites nothing
    And I am told nothing

  @clause:social-media.professional-judgment @reading:text-named-examples
  Scenario: Does the rule on provocative photos cover a private text to a friend?
    Given I am a teacher
    And I send a message
    And it goes by text message
    And I use a personal device
    And it reaches a member of the community
    And it is personal
    And it contains a provocative image
    When I ask the policy
    Then it is permitted
    And it cites nothing
    And I am told about discipline.permanence
    And I am told nothing else

  # --- Images of students' misconduct --------------------------------------------------------

  @clause:social-media.student-conduct-images @clause:discipline.investigation @clause:discipline.consequences
  Scenario: Can I post a photo of students vaping behind the gym?
    Given I am a teacher
    And I post something
    And it is on social media
    And I use a personal account
    And it reaches the public
    And it shows students doing something they are not allowed to do
    When I ask the policy
    Then it is prohibited
    And it cites social-media.student-conduct-images
    And it cites nothing else
    And I am told about social-media.personal-responsibility
    And I am told about discipline.investigation
    And I am told about discipline.consequences
    And I am told about discipline.permanence
    And I am told nothing else
    And I have no obligations

  @clause:social-media.student-conduct-images
  Scenario: Can I e-mail that photo of students breaking a rule to the principal?
    Given I am a teacher
    And I send a message
    And it goes by e-mail
    And I use a District account
    And it reaches a staff member
    And it is about school business
    And it shows students doing something they are not allowed to do
    When I ask the policy
    Then it is permitted
    And it cites nothing
    And I am not told about discipline.investigation
    And I am told about monitoring.district-systems
    And I am told about monitoring.definition
    And I am told about discipline.permanence
    And I am told nothing else

  # --- Personal liability --------------------------------------------------------------------

  @clause:social-media.personal-liability
  Scenario: Could I be sued for a post calling a parent a liar?
    Given I am a teacher
    And I post something
    And it is on social media
    And I use a personal account
    And it reaches the public
    And it is defamatory
    When I ask the policy
    Then it is discouraged
    And it cites communications.harmful-statements
    And it cites nothing else
    And I am told about social-media.personal-liability
    And I am told about social-media.personal-responsibility
    And I am told about discipline.permanence
    And I am told nothing else

  @clause:social-media.personal-liability @clause:discipline.grounds
  Scenario: Could I be sued for posts that make work hostile for a colleague?
    Given I am a teacher
    And I post something
    And it is on social media
    And I use a personal account
    And it reaches a staff member
    And it creates a hostile work environment
    When I ask the policy
    Then it is prohibited
    And it cites discipline.grounds
    And it cites nothing else
    And I am told about social-media.personal-liability
    And I am told about social-media.personal-responsibility
    And I am told about discipline.investigation
    And I am told about discipline.consequences
    And I am told about discipline.permanence
    And I am told nothing else

  @clause:social-media.personal-liability
  Scenario: Does the warning about being sued for posts apply to an e-mail to a colleague?
    Given I am a teacher
    And I send a message
    And it goes by e-mail
    And I use a personal account
    And it reaches a staff member
    And it is defamatory
    When I ask the policy
    Then it is discouraged
    And it cites communications.harmful-statements
    And I am not told about social-media.personal-liability
    And I am told about discipline.permanence
    And I am told nothing else

  # --- Confidentiality -----------------------------------------------------------------------

  @clause:social-media.confidentiality @clause:discipline.grounds
  Scenario: Can I post about what happened at a student's IEP meeting?
    Given I am a teacher
    And I post something
    And it is on social media
    And I use a personal account
    And it reaches the public
    And it discloses confidential information
    When I ask the policy
    Then it is prohibited
    And it cites social-media.confidentiality
    And it cites discipline.grounds
    And it cites nothing else
    And I am told about social-media.personal-liability
    And I am told about social-media.personal-responsibility
    And I am told about discipline.investigation
    And I am told about discipline.consequences
    And I am told about discipline.permanence
    And I am told nothing else
    And I have no obligations

  @clause:social-media.confidentiality
  Scenario: Does asking my supervisor first make it all right to post confidential student information?
    Given I am a teacher
    And I post something
    And it is on social media
    And I use a personal account
    And it reaches the public
    And it discloses confidential information
    And I have consulted my supervisor
    When I ask the policy
    Then it is prohibited
    And it cites social-media.confidentiality
    And it cites discipline.grounds
    And it cites nothing else

  @clause:social-media.confidentiality @clause:discipline.grounds
  Scenario: Is e-mailing confidential student information to a friend covered by the social media rule?
    Given I am a teacher
    And I send a message
    And it goes by e-mail
    And I use a personal account
    And it reaches a member of the community
    And it is personal
    And it discloses confidential information
    When I ask the policy
    Then it is prohibited
    And it cites discipline.grounds
    And it does not cite social-media.confidentiality
    And it cites nothing else
    And I have no obligations

  @clause:social-media.confidentiality @reading:confidentiality-obligation @reading:unmet-obligation-not-allowed
  Scenario: I'm not sure whether something is confidential. Can I post it anyway?
    Given I am a teacher
    And I post something
    And it is on social media
    And I use a personal account
    And it reaches the public
    And I am unsure whether it is confidential
    And I have not consulted my supervisor
    When I ask the policy
    Then it needs approval first
    And it cites social-media.confidentiality
    And it cites nothing else
    And my obligation under social-media.confidentiality is not yet met
    And I have no other obligations
    And I am told about social-media.personal-responsibility
    And I am told about discipline.permanence
    And I am not told about discipline.investigation
    And I am not told about discipline.consequences
    And I am told nothing else
    And the explanation says "Not yet: first consult your immediate supervisor before posting."

  @clause:social-media.confidentiality @clause:social-media.self-expression @reading:confidentiality-obligation
  Scenario: I wasn't sure whether it was confidential, so I asked my supervisor first. Can I post it now?
    Given I am a teacher
    And I post something
    And it is on social media
    And I use a personal account
    And it reaches the public
    And I am unsure whether it is confidential
    And I have consulted my supervisor
    When I ask the policy
    Then it is permitted
    And it cites social-media.self-expression
    And it cites nothing else
    And my obligation under social-media.confidentiality is met
    And I have no other obligations
    And the explanation does not say "Not yet"

  @clause:social-media.confidentiality
  Scenario: Do I have to consult my supervisor before e-mailing a colleague something I'm unsure is confidential?
    Given I am a teacher
    And I send a message
    And it goes by e-mail
    And I use a District account
    And it reaches a staff member
    And it is about school business
    And I am unsure whether it is confidential
    And I have not consulted my supervisor
    When I ask the policy
    Then it is permitted
    And it does not cite social-media.confidentiality
    And it cites nothing
    And I have no obligations

  # --- District equipment and school property ------------------------------------------------

  @clause:social-media.district-equipment @clause:discipline.investigation @clause:discipline.consequences
  Scenario: Can I check Facebook on my classroom computer while I'm supposed to be teaching?
    Given I am a teacher
    And I browse or read online
    And it is on social media
    And I use a personal account
    And I use a District device
    And I am on school property
    And it interferes with my duties
    When I ask the policy
    Then it is prohibited
    And it cites social-media.district-equipment
    And it cites nothing else
    And I am told about discipline.investigation
    And I am told about discipline.consequences
    And I am told about monitoring.definition
    And I am told about communications.monitoring-and-foia
    And I am not told about discipline.permanence
    And I am told nothing else
    And I have no obligations

  @clause:social-media.district-equipment @reading:district-equipment-obligation
  Scenario Outline: Can I check my own social media during my lunch break when <where>?
    Given I am a teacher
    And I browse or read online
    And it is on social media
    And I use a personal account
    And <fact>
    And it does not interfere with my duties
    When I ask the policy
    Then it is permitted
    And it cites nothing
    And my obligation under social-media.district-equipment is not known yet
    And I have no other obligations
    And I am not told about social-media.district-equipment
    And I am not told about discipline.permanence
    And the explanation says "This holds provided you comply with the acceptable-use policies"

    Examples:
      | where                                   | fact                           |
      | I am at school                          | I am on school property        |
      | I use a school computer                 | I use a District device        |
      | I am connected to the school Wi-Fi      | it uses the District network   |

  @clause:social-media.district-equipment @reading:district-equipment-obligation
  Scenario: Can I check Instagram on my own phone in the staff room during my lunch break?
    Given I am a teacher
    And I browse or read online
    And it is on social media
    And I use a personal account
    And I use a personal device
    And it uses another network
    And I am on school property
    And it does not interfere with my duties
    When I ask the policy
    Then it is permitted
    And it cites nothing
    And my obligation under social-media.district-equipment is not known yet
    And I have no other obligations
    And I am told nothing

  @clause:social-media.district-equipment
  Scenario: Can I check Instagram at home on my own phone and my own Wi-Fi?
    Given I am a teacher
    And I browse or read online
    And it is on social media
    And I use a personal account
    And I use a personal device
    And it uses another network
    And I am not on school property
    And it does not interfere with my duties
    When I ask the policy
    Then it is permitted
    And it cites nothing
    And I have no obligations
    And I am told nothing

  @clause:social-media.district-equipment
  Scenario: Does the acceptable-use rule apply if I scroll Instagram at home on my own phone when I should be grading?
    Given I am a teacher
    And I browse or read online
    And it is on social media
    And I use a personal account
    And I use a personal device
    And it uses another network
    And I am not on school property
    And it interferes with my duties
    When I ask the policy
    Then it is permitted
    And it does not cite social-media.district-equipment
    And it cites nothing
    And I have no obligations
    And I am told nothing

  @clause:social-media.district-equipment
  Scenario: Is personal e-mail on my school laptop during class covered by the social media equipment rule?
    Given I am a teacher
    And I send a message
    And it goes by e-mail
    And I use a personal account
    And I use a District device
    And it uses the District network
    And I am on school property
    And it reaches a staff member
    And it is personal
    And it interferes with my duties
    When I ask the policy
    Then it is permitted
    And it does not cite social-media.district-equipment
    And it cites nothing
    And I have no obligations

  @clause:social-media.district-equipment
  Scenario: Does the social media acceptable-use duty come up when I e-mail from my school laptop?
    Given I am a teacher
    And I send a message
    And it goes by e-mail
    And I use a District account
    And I use a District device
    And it uses the District network
    And I am on school property
    And it reaches a staff member
    And it is about school business
    And it does not interfere with my duties
    When I ask the policy
    Then it is permitted
    And it cites nothing
    And I have no obligations

  @clause:social-media.district-equipment
  Scenario: Can I scroll social media on my own phone while I'm supposed to be on duty, if I don't say where I am?
    Given I am a teacher
    And I browse or read online
    And it is on social media
    And I use a personal account
    And I use a personal device
    And it interferes with my duties
    When I ask the policy
    Then the answer depends on facts not given
    And it could be permitted or prohibited
    And the policy needs to know the network and the location
    And it cites social-media.district-equipment
    And it cites nothing else
    And I have no obligations
