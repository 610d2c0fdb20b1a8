Feature: Relationships with students
  Staff may not establish unprofessional or inappropriate personal relationships with
  students enrolled in Ledyard Public Schools. These examples show each prohibition, and
  the nearby cases it does not reach: school business, a school counselor counseling, an
  adult audience, a former student, the employee's own family, a conversation in person.

  Background: The 2015-11-18 revision, as read in the second edition
    Given the date is 2026-01-05

  # --- Friending students (relationships.personal-relationships) ---

  @clause:relationships.personal-relationships @reading:personal-relationships-channel
  Scenario: May I friend a student from my personal account?
    Given I am a teacher
    And I connect with someone online
    And it is on social media
    And I use a personal account
    And it reaches a student
    When I ask the policy
    Then it is prohibited
    And it cites relationships.personal-relationships
    And it cites nothing else
    And I am told about discipline.investigation
    And I am told about discipline.consequences
    And I am told about discipline.permanence
    And I am told nothing else

  @clause:relationships.personal-relationships @reading:personal-relationships-channel
  Scenario: May a coach accept a student's follow request on a personal account?
    Given I am a coach
    And I connect with someone online
    And it is on social media
    And I use a personal account
    And it reaches a student
    And it is for an extracurricular activity
    When I ask the policy
    Then it is prohibited
    And it cites relationships.personal-relationships
    And it cites nothing else

  @clause:relationships.personal-relationships @reading:personal-relationships-channel
  Scenario: May I add a student to my group chat with friends on a messaging app?
    Given I am a teacher
    And I connect with someone online
    And it goes through a messaging app
    And I use a personal account
    And it reaches a student
    And it is personal
    When I ask the policy
    Then it is prohibited
    And it cites relationships.personal-relationships
    And it cites nothing else

  @clause:relationships.personal-relationships @clause:communications.district-email
  @reading:personal-relationships-channel @reading:student-rules-follow-audience
  Scenario: May I add my players to a team group chat on a messaging app?
    Given I am a coach
    And I connect with someone online
    And it goes through a messaging app
    And I use a personal account
    And it reaches a student
    And it is for an extracurricular activity
    When I ask the policy
    Then it is discouraged
    And it cites communications.district-email
    And it does not cite relationships.personal-relationships
    And it cites nothing else
    And I am not told about discipline.consequences

  @clause:relationships.personal-relationships
  Scenario: May students follow the class page I run from my District account?
    Given I am a teacher
    And I connect with someone online
    And it is on social media
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

  @clause:relationships.personal-relationships @clause:social-media.self-expression
  Scenario: May I friend a colleague from my personal account?
    Given I am a teacher
    And I connect with someone online
    And it is on social media
    And I use a personal account
    And it reaches a staff member
    When I ask the policy
    Then it is permitted
    And it cites social-media.self-expression
    And it does not cite relationships.personal-relationships
    And it cites nothing else

  @clause:relationships.personal-relationships @clause:social-media.self-expression @reading:former-student
  Scenario: May I friend a former student from my personal account?
    Given I am a teacher
    And I connect with someone online
    And it is on social media
    And I use a personal account
    And it reaches a former student
    When I ask the policy
    Then it is permitted
    And it cites social-media.self-expression
    And it does not cite relationships.personal-relationships
    And it cites nothing else

  @clause:relationships.personal-relationships @clause:communications.district-email @reading:family
  Scenario: May I friend my niece, who is a student here, from my personal account?
    Given I am a teacher
    And I connect with someone online
    And it is on social media
    And I use a personal account
    And it reaches a student
    And everyone it reaches is my own family
    When I ask the policy
    Then it is permitted
    And it cites social-media.self-expression
    And it does not cite relationships.personal-relationships
    And it does not cite communications.district-email
    And it cites nothing else

  @clause:relationships.personal-relationships @clause:relationships.peer-communication
  @reading:student-rules-follow-audience @reading:addressed-not-seen
  Scenario: May I post about my weekend on my personal account, for my students as well as everyone?
    Given I am a teacher
    And I post something
    And it is on social media
    And I use a personal account
    And it reaches the public
    And it reaches a student
    And it is personal
    When I ask the policy
    Then it is prohibited
    And it cites relationships.peer-communication
    And it does not cite relationships.personal-relationships
    And it cites nothing else
    And I am told about social-media.personal-responsibility
    And I am told about discipline.investigation
    And I am told about discipline.consequences
    And I am told about discipline.permanence
    And I am told nothing else

  @clause:relationships.peer-communication @clause:social-media.self-expression @reading:addressed-not-seen
  Scenario: My Instagram is public and some students follow it. May I post photos from my vacation?
    Given I am a teacher
    And I post something
    And it is on social media
    And I use a personal account
    And it reaches the public
    And a student can see it
    And it is personal
    When I ask the policy
    Then it is permitted
    And it cites social-media.self-expression
    And it does not cite relationships.peer-communication
    And it does not cite communications.district-email
    And it cites nothing else
    And I am told about social-media.personal-responsibility
    And I am told about discipline.permanence
    And I am told nothing else

  # --- Personal spaces with students (relationships.personal-relationships) ---

  @clause:relationships.personal-relationships @reading:personal-spaces
  Scenario: Can I set up a private Discord server to play video games with my students on weekends?
    Given I am a teacher
    And I set up a site
    And it goes through a messaging app
    And I use a personal account
    And it reaches a student
    And it is personal
    When I ask the policy
    Then it is prohibited
    And it cites relationships.personal-relationships
    And it cites nothing else
    And I am told about discipline.investigation
    And I am told about discipline.consequences
    And I am told about discipline.permanence
    And I am told nothing else

  @clause:relationships.personal-relationships @reading:personal-spaces
  Scenario: May I start a homeroom group chat on my District account, just to hang out?
    Given I am a teacher
    And I set up a site
    And it goes through a messaging app
    And I use a District account
    And it reaches a student
    And it is personal
    When I ask the policy
    Then it is prohibited
    And it cites relationships.personal-relationships
    And it cites nothing else

  @clause:relationships.personal-relationships @reading:personal-spaces
  Scenario: May I join my students' gaming server from my District account, just for fun?
    Given I am a teacher
    And I connect with someone online
    And it goes through a messaging app
    And I use a District account
    And it reaches a student
    And it is personal
    When I ask the policy
    Then it is prohibited
    And it cites relationships.personal-relationships
    And it cites nothing else

  @clause:relationships.personal-relationships @clause:approved-sites.prior-notice @reading:personal-spaces
  Scenario: May I start a group chat for my team on my District account?
    Given I am a coach
    And I set up a site
    And it goes through a messaging app
    And I use a District account
    And it reaches a student
    And it is for an extracurricular activity
    When I ask the policy
    Then it needs approval first
    And it cites approved-sites.prior-notice
    And it does not cite relationships.personal-relationships
    And it cites nothing else

  @clause:relationships.personal-relationships @reading:personal-spaces
  Scenario: Can I set up a private Discord server to play video games with my friends?
    Given I am a teacher
    And I set up a site
    And it goes through a messaging app
    And I use a personal account
    And it reaches a member of the community
    And it is personal
    When I ask the policy
    Then it is permitted
    And it does not cite relationships.personal-relationships
    And it cites nothing

  @clause:relationships.personal-relationships @reading:personal-spaces
  Scenario: May I set up a group chat with my students without saying what it is for?
    Given I am a teacher
    And I set up a site
    And it goes through a messaging app
    And I use a District account
    And it reaches a student
    When I ask the policy
    Then the answer depends on facts not given
    And it could be needing approval or prohibited
    And the policy needs to know the purpose
    And it cites relationships.personal-relationships

  # --- Treating students as peers (relationships.peer-communication) ---

  @clause:relationships.peer-communication
  Scenario: May I write a student a personal letter?
    Given I am a teacher
    And I send a message
    And it is a letter on paper
    And it reaches a student
    And it is personal
    When I ask the policy
    Then it is prohibited
    And it cites relationships.peer-communication
    And it cites nothing else
    And I am told about discipline.investigation
    And I am told about discipline.consequences
    And I am told about discipline.permanence
    And I am told nothing else

  @clause:relationships.peer-communication @clause:relationships.texting-and-calling
  Scenario: May I send a student a personal e-mail from my District account?
    Given I am a teacher
    And I send a message
    And it goes by e-mail
    And I use a District account
    And it reaches a student
    And it is personal
    When I ask the policy
    Then it is prohibited
    And it cites relationships.peer-communication
    And it does not cite relationships.texting-and-calling
    And it cites nothing else

  @clause:relationships.peer-communication @clause:relationships.texting-and-calling
  @reading:student-rules-follow-audience @reading:texting-needs-message-or-call
  Scenario: May I comment on a student's Instagram post about their weekend?
    Given I am a teacher
    And I post something
    And it is on social media
    And I use a personal account
    And it reaches a student
    And it is personal
    When I ask the policy
    Then it is prohibited
    And it cites relationships.peer-communication
    And it does not cite relationships.texting-and-calling
    And it cites nothing else
    And I am told about discipline.investigation

  @clause:relationships.peer-communication @clause:communications.district-email
  @reading:student-rules-follow-audience
  Scenario: May I comment on a student's Instagram post to congratulate them on the science fair?
    Given I am a teacher
    And I post something
    And it is on social media
    And I use a personal account
    And it reaches a student
    And it is about school business
    When I ask the policy
    Then it is discouraged
    And it cites communications.district-email
    And it does not cite relationships.peer-communication
    And it cites nothing else

  @clause:relationships.peer-communication
  Scenario: May I hang out with students as if I were one of them?
    Given I am a paraprofessional
    And I talk with someone in person
    And it is face to face
    And it reaches a student
    And it treats a student as a peer
    When I ask the policy
    Then it is prohibited
    And it cites relationships.peer-communication
    And it cites nothing else
    And I am told about discipline.investigation
    And I am told about discipline.consequences
    And I am told nothing else

  @clause:relationships.peer-communication
  Scenario: May I write a student a letter about their class project?
    Given I am a teacher
    And I send a message
    And it is a letter on paper
    And it reaches a student
    And it is about school business
    When I ask the policy
    Then it is permitted
    And it cites nothing
    And I am told about discipline.permanence
    And I am told nothing else

  @clause:relationships.peer-communication @clause:relationships.texting-and-calling
  Scenario: May I ask a student in person how their weekend went?
    Given I am a teacher
    And I talk with someone in person
    And it is face to face
    And it reaches a student
    And it is personal
    When I ask the policy
    Then it is permitted
    And it cites nothing
    And I am told nothing

  @clause:relationships.peer-communication
  Scenario: May I be one of the gang with my colleagues?
    Given I am a teacher
    And I talk with someone in person
    And it is face to face
    And it reaches a staff member
    And it treats a student as a peer
    When I ask the policy
    Then it is permitted
    And it cites nothing
    And I am told nothing

  @clause:relationships.peer-communication @clause:relationships.texting-and-calling
  @clause:communications.school-business-only @clause:communications.district-email @reading:family
  Scenario: May I text my own son, who goes to school here, about dinner?
    Given I am a teacher
    And I send a message
    And it goes by text message
    And it reaches a student
    And everyone it reaches is my own family
    And it is personal
    When I ask the policy
    Then it is permitted
    And it cites nothing
    And I am told about discipline.permanence
    And I am told nothing else
    And I have no obligations

  @clause:relationships.texting-and-calling @clause:communications.prohibited-content
  @clause:communications.respectful-speech @reading:family
  Scenario: Does it matter that the student I send a profane text to is my own nephew?
    Given I am a teacher
    And I send a message
    And it goes by text message
    And it reaches a student
    And everyone it reaches is my own family
    And it is personal
    And it is profane or obscene
    When I ask the policy
    Then it is prohibited
    And it cites communications.prohibited-content
    And it cites communications.respectful-speech
    And it does not cite relationships.texting-and-calling
    And it cites nothing else
    And I am told about discipline.investigation
    And I am told about discipline.consequences

  # --- Texting and calling (relationships.texting-and-calling) ---

  @clause:relationships.texting-and-calling
  Scenario Outline: Can I keep in touch with a student about personal things by <channel>?
    Given I am a teacher
    And <action>
    And <how>
    And it reaches a student
    And it is personal
    When I ask the policy
    Then it is prohibited
    And it cites relationships.texting-and-calling
    And I am told about discipline.consequences

    Examples:
      | channel          | action                | how                            |
      | text message     | I send a message      | it goes by text message        |
      | a messaging app  | I send a message      | it goes through a messaging app |
      | cell-phone calls | I make or take a call | it is a phone call             |
      | video calls      | I make or take a call | it is a video call             |

  @clause:relationships.texting-and-calling
  Scenario: May I take a student's personal call on my cell phone?
    Given I am a substitute
    And I make or take a call
    And it is a phone call
    And I use a personal device
    And it reaches a student
    And it is personal
    When I ask the policy
    Then it is prohibited
    And it cites relationships.texting-and-calling
    And it cites nothing else
    And I am told about discipline.investigation
    And I am told about discipline.consequences
    And I am told about discipline.permanence
    And I am told nothing else

  @clause:relationships.texting-and-calling
  Scenario Outline: Can I call a student's cell phone <about>?
    Given I am a <role>
    And I make or take a call
    And it is a phone call
    And I use a District device
    And it reaches a student
    And <purpose>
    When I ask the policy
    Then it is permitted
    And it cites nothing
    And I have no obligations

    Examples:
      | about                       | role                | purpose                               |
      | about a missed assignment   | teacher             | it is about school business           |
      | about tonight's practice    | coach               | it is for an extracurricular activity |

  @clause:relationships.texting-and-calling @reading:counseling-needs-counselor
  Scenario: May a school counselor call a student's cell phone to follow up a counseling session?
    Given I am a school counselor
    And I make or take a call
    And it is a phone call
    And I use a District device
    And it reaches a student
    And it is for counseling
    When I ask the policy
    Then it is permitted
    And it cites nothing
    And I have no obligations
    And the explanation does not say "read as a personal purpose"

  @clause:relationships.texting-and-calling @reading:counseling-needs-counselor
  Scenario: May a teacher call a student's cell phone to counsel them about a problem at home?
    Given I am a teacher
    And I make or take a call
    And it is a phone call
    And I use a District device
    And it reaches a student
    And it is for counseling
    When I ask the policy
    Then it is prohibited
    And it cites relationships.texting-and-calling
    And it cites nothing else
    And the explanation says "“Counseling” is read as a personal purpose here"

  @clause:relationships.texting-and-calling @clause:communications.district-email @reading:any-district-account
  Scenario: Can I text a student about homework from my own phone?
    Given I am a teacher
    And I send a message
    And it goes by text message
    And I use a personal device
    And it reaches a student
    And it is about school business
    When I ask the policy
    Then the answer depends on facts not given
    And it could be permitted or discouraged
    And the policy needs to know the account
    And it cites communications.district-email
    And it does not cite relationships.texting-and-calling
    And it cites nothing else
    And I am told about communications.monitoring-and-foia
    And I am told about discipline.permanence
    And I am told nothing else

  @clause:relationships.texting-and-calling @clause:relationships.peer-communication
  Scenario: Can I text a student?
    Given I am a teacher
    And I send a message
    And it goes by text message
    And it reaches a student
    When I ask the policy
    Then the answer depends on facts not given
    And it could be permitted, discouraged or prohibited
    And the policy needs to know the account and the purpose
    And it cites relationships.texting-and-calling
    And it cites relationships.peer-communication
    And it cites communications.school-business-only
    And it cites communications.district-email
    And it cites nothing else

  @clause:relationships.texting-and-calling @clause:relationships.peer-communication
  @reading:texting-needs-message-or-call @reading:student-rules-follow-audience
  Scenario: Is posting a personal photo in a messaging-app channel my students follow the same as texting them?
    Given I am a coach
    And I post something
    And it goes through a messaging app
    And I use a personal account
    And it reaches a student
    And it is personal
    When I ask the policy
    Then it is prohibited
    And it cites relationships.peer-communication
    And it does not cite relationships.texting-and-calling
    And it cites nothing else

  # --- Inappropriate images (relationships.inappropriate-images) ---

  @clause:relationships.inappropriate-images
  Scenario: May I send a student an inappropriate picture?
    Given I am a teacher
    And I send a message
    And it goes by e-mail
    And I use a District account
    And it reaches a student
    And it contains an inappropriate image
    When I ask the policy
    Then it is prohibited
    And it cites relationships.inappropriate-images
    And it cites nothing else
    And I am told about discipline.investigation
    And I am told about discipline.consequences

  @clause:relationships.inappropriate-images
  Scenario: Is an inappropriate picture texted to a student prohibited whatever the reason?
    Given I am a coach
    And I send a message
    And it goes by text message
    And it reaches a student
    And it contains an inappropriate image
    When I ask the policy
    Then it is prohibited
    And it cites relationships.inappropriate-images
    And it cites nothing else

  @clause:relationships.inappropriate-images @clause:relationships.texting-and-calling @reading:family
  Scenario: Is an inappropriate picture texted to my own child, a student here, prohibited?
    Given I am a teacher
    And I send a message
    And it goes by text message
    And it reaches a student
    And everyone it reaches is my own family
    And it contains an inappropriate image
    When I ask the policy
    Then it is prohibited
    And it cites relationships.inappropriate-images
    And it cites nothing else

  @clause:relationships.inappropriate-images
  Scenario: May I e-mail a student the pictures for a class project?
    Given I am a teacher
    And I send a message
    And it goes by e-mail
    And I use a District account
    And it reaches a student
    And it is about school business
    When I ask the policy
    Then it is permitted
    And it cites nothing
    And I am not told about discipline.consequences

  @clause:relationships.inappropriate-images @clause:discipline.grounds
  Scenario: Is an inappropriate picture sent to a colleague covered by the rule about students?
    Given I am a teacher
    And I send a message
    And it goes through a messaging app
    And it reaches a staff member
    And it contains an inappropriate image
    And it creates a hostile work environment
    When I ask the policy
    Then it is prohibited
    And it cites discipline.grounds
    And it does not cite relationships.inappropriate-images
    And it cites nothing else

  # --- Private matters (relationships.private-matters) ---

  @clause:relationships.private-matters
  Scenario: May I talk with a student about their private life?
    Given I am a teacher
    And I talk with someone in person
    And it is face to face
    And it reaches a student
    And it discusses private-life matters
    When I ask the policy
    Then it is prohibited
    And it cites relationships.private-matters
    And it cites nothing else
    And I am told about discipline.investigation
    And I am told about discipline.consequences
    And I am told nothing else

  @clause:relationships.private-matters @reading:counseling-needs-counselor
  Scenario: May a school counselor talk with a student about their private life in counseling?
    Given I am a school counselor
    And I talk with someone in person
    And it is face to face
    And it reaches a student
    And it discusses private-life matters
    And it is for counseling
    When I ask the policy
    Then it is permitted
    And it cites nothing
    And I am told nothing
    And the explanation does not say "read as a personal purpose"
    And the explanation does not say "counselor-school-purpose"

  @clause:relationships.private-matters @reading:counselor-school-purpose
  Scenario: May a school counselor e-mail a senior about her home situation for a college recommendation?
    Given I am a school counselor
    And I send a message
    And it goes by e-mail
    And I use a District account
    And it reaches a student
    And it discusses private-life matters
    And it is about school business
    When I ask the policy
    Then it is permitted
    And it does not cite relationships.private-matters
    And it cites nothing
    And the explanation says "(counselor-school-purpose)"

  @clause:relationships.private-matters @reading:counselor-school-purpose
  Scenario: May a school counselor who coaches talk with a player about her home situation at practice?
    Given I am a school counselor
    And I talk with someone in person
    And it is face to face
    And it reaches a student
    And it discusses private-life matters
    And it is for an extracurricular activity
    When I ask the policy
    Then it is prohibited
    And it cites relationships.private-matters
    And it cites nothing else

  @clause:relationships.private-matters @reading:counselor-school-purpose
  Scenario: May a teacher e-mail a senior about her home situation for a college recommendation?
    Given I am a teacher
    And I send a message
    And it goes by e-mail
    And I use a District account
    And it reaches a student
    And it discusses private-life matters
    And it is about school business
    When I ask the policy
    Then it is prohibited
    And it cites relationships.private-matters
    And it cites nothing else

  @clause:relationships.private-matters
  Scenario: May a school counselor chat with a student about private matters outside counseling?
    Given I am a school counselor
    And I talk with someone in person
    And it is face to face
    And it reaches a student
    And it discusses private-life matters
    And it is personal
    When I ask the policy
    Then it is prohibited
    And it cites relationships.private-matters
    And it cites nothing else

  @clause:relationships.private-matters @reading:counseling-needs-counselor
  Scenario: May a teacher counsel a student about private matters?
    Given I am a teacher
    And I talk with someone in person
    And it is face to face
    And it reaches a student
    And it discusses private-life matters
    And it is for counseling
    When I ask the policy
    Then it is prohibited
    And it cites relationships.private-matters
    And it cites nothing else
    And the explanation says "“Counseling” is read as a personal purpose here"

  @clause:relationships.private-matters
  Scenario: May a school counselor talk with a student about private matters?
    Given I am a school counselor
    And I talk with someone in person
    And it is face to face
    And it reaches a student
    And it discusses private-life matters
    When I ask the policy
    Then the answer depends on facts not given
    And it could be permitted or prohibited
    And the policy needs to know the purpose
    And it cites relationships.private-matters
    And it cites nothing else
    And I am told nothing

  @clause:relationships.private-matters
  Scenario: May I talk about my private life with a colleague?
    Given I am a teacher
    And I talk with someone in person
    And it is face to face
    And it reaches a staff member
    And it discusses private-life matters
    When I ask the policy
    Then it is permitted
    And it cites nothing
    And I am told nothing

  @clause:relationships.private-matters @reading:family
  Scenario: May I talk with my own daughter, a student here, about our family's private matters?
    Given I am a teacher
    And I talk with someone in person
    And it is face to face
    And it reaches a student
    And everyone it reaches is my own family
    And it discusses private-life matters
    When I ask the policy
    Then it is permitted
    And it cites nothing
    And I am told nothing

  # --- Sexualized dialogue (relationships.sexualized-dialogue) ---

  @clause:relationships.sexualized-dialogue @clause:communications.respectful-speech
  @reading:respectful-speech-addressed
  Scenario Outline: Is sexualized talk with a student prohibited <how>?
    Given I am a teacher
    And <action>
    And <channel>
    And it reaches a student
    And it is sexualized
    When I ask the policy
    Then it is prohibited
    And it cites relationships.sexualized-dialogue
    And it cites communications.respectful-speech
    And it cites nothing else
    And I am told about discipline.investigation
    And I am told about discipline.consequences

    Examples:
      | how            | action                         | channel               |
      | in person      | I talk with someone in person  | it is face to face    |
      | by phone       | I make or take a call          | it is a phone call    |
      | over e-mail    | I send a message               | it goes by e-mail     |
      | in a letter    | I send a message               | it is a letter on paper |

  @clause:relationships.sexualized-dialogue
  Scenario: Is sexualized talk with a student prohibited when I don't say how it happens?
    Given I am a member of the support staff
    And I talk with someone in person
    And it reaches a student
    And it is sexualized
    When I ask the policy
    Then it is prohibited
    And it cites relationships.sexualized-dialogue
    And it cites communications.respectful-speech
    And it cites nothing else

  @clause:relationships.sexualized-dialogue
  Scenario: May I talk with a student in person about their grades?
    Given I am a teacher
    And I talk with someone in person
    And it is face to face
    And it reaches a student
    And it is about school business
    When I ask the policy
    Then it is permitted
    And it cites nothing
    And I am told nothing

  @clause:relationships.sexualized-dialogue @clause:discipline.grounds @clause:communications.respectful-speech
  @reading:respectful-speech-addressed
  Scenario: Is sexualized talk with a colleague covered by the rule about students?
    Given I am a teacher
    And I talk with someone in person
    And it is face to face
    And it reaches a staff member
    And it is sexualized
    And it creates a hostile work environment
    When I ask the policy
    Then it is prohibited
    And it cites discipline.grounds
    And it cites communications.respectful-speech
    And it does not cite relationships.sexualized-dialogue
    And it cites nothing else
