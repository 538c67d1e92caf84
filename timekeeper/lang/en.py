"""English: every word timekeeper says or understands in this language.

A language is this one module: copy it to ``xx.py``, translate the values, keep the keys
(tests/test_lang.py checks every language module defines the same names and keys, with
the same ``{fields}`` in each text)."""

NAME = "English"  # in messages written in English ("no French speech model installed")
ESPEAK_VOICE = "gmw/en"  # espeak-ng voice id of the announcer

# --- what it understands -------------------------------------------------------

WAKE = "time keeper"  # the default wake phrase
# one-word spellings a recogniser or a user may produce, mapped to the wake phrase
WAKE_SPELLINGS = {"timekeeper": "time keeper", "time-keeper": "time keeper"}

# answers to "End the session? Say yes, or press q." (said alone or after the wake phrase)
YES = ("yes",)
NO = ("no",)

ZERO = "zero"
# number words 1-10 as heard (several words may say the same number; the first is how it is said)
NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}
FEMININE = {}  # number words before a feminine noun ("une minute")
MINUTE_WORDS = ("minute", "minutes")  # {min} in the templates: people say both, whatever the number

# Command phrases (after the wake phrase): {n} a number word, {min} a MINUTE_WORDS word;
# in "go to phase {n}" the numbers are the agenda's phase numbers. Kinds: timekeeper.commands.
# Chosen for acoustic distance, not for the number of synonyms: no two phrases for different
# commands differ by one short word ("start / stop the clock", "add / remove", "go to the next /
# previous phase", "next / previous step" were dropped). tests/test_phrase_confusability.py
# decodes each phrase spoken by four espeak-ng voices against all the others (built-in engine)
# and fails on a close pair; `python bench/bench_phrases.py` prints the table.
COMMANDS = [
    ("next phase", "next"), ("move on", "next"),
    ("previous phase", "previous"), ("go back a phase", "previous"),
    ("go to phase {n}", "goto"),
    ("pause", "pause"), ("pause the clock", "pause"),
    ("resume", "resume"), ("carry on", "resume"),
    ("how much time is left", "time_left"), ("how much time do we have", "time_left"),
    ("add {n} {min}", "extend"), ("give us {n} more {min}", "extend"),
    ("take away {n} {min}", "shorten"),
    ("repeat", "repeat"), ("say that again", "repeat"),
    ("end the session", "end"),
    ("undo the last command", "undo"), ("cancel that", "undo"),  # "undo" alone: decoded 10/16 (bench_phrases)
]
# the one phrasing per command that help texts and the test sessions use
CANONICAL = {
    "next": "next phase",
    "previous": "previous phase",
    "goto": "go to phase {n}",
    "pause": "pause",
    "resume": "resume",
    "time_left": "how much time is left",
    "extend": "add {n} {min}",
    "shorten": "take away {n} {min}",
    "repeat": "repeat",
    "end": "end the session",
    "undo": "undo the last command",
}

# --- what it says ---------------------------------------------------------------

# announcements: str.format templates
SAY = {
    "session_started": "Starting the session: {agenda}.",
    "phase_started": "Phase {number}: {name}. {duration}.",
    "phase_back": "Back to phase {number}: {name}. {left}",  # a phase already used: the time left in its box
    "time_warning": "{duration} left.",
    "time_up": "Time is up for {name}.",
    "overrun": "{name}: {duration} over time.",
    "phase_ended_over": "{name} ended {duration} over time.",
    "behind": "We are {duration} behind; the last phases ({squeezed}) will be squeezed.",
    "paused": "Timer paused.",
    "resumed": "Resuming. {left}",
    "extended": "{duration} more. {left}",
    "shortened": "{duration} less. {left}",
    "left": "{duration} left.",  # {left} above: the time left as a sentence, true when over time too
    "left_over": "This phase is {duration} over time.",
    "left_none": "No time left in this phase.",
    "status": "{duration} left in this phase. {plan}",
    "status_over": "This phase is {duration} over time. {plan}",
    "plan_behind": "We are {duration} behind the plan.",
    "plan_ahead": "We are {duration} ahead of the plan.",
    "plan_on_time": "We are on time.",
    "ended": "End of the session. It lasted {duration}.",
    "ended_over": "End of the session. It lasted {duration}, {over} more than planned.",
    "ack": "OK.",
    "undone": "Undone: {command}. Phase {number}, {duration} left.",
    "undone_paused": "Undone: {command}. Phase {number}, paused, {duration} left.",
    "undone_over": "Undone: {command}. Phase {number}, {duration} over time.",
    "confirm.end": "End the session? Say yes, or press q.",
    "confirm.kept": "The session goes on.",
    "sorry": "Sorry?",
    "rejected.nothing_to_undo": "Nothing to undo.",
    "device_lost": "The microphone stopped; the clock goes on.",
    "device_restored": "The microphone is back.",
    "rejected.at_first_phase": "We are already at the first phase.",
    "rejected.not_paused": "The timer is not paused.",
    "rejected.already_paused": "The timer is already paused.",
    "rejected.ended": "The session has ended.",
    "rejected.not_started": "The session has not started.",
    "rejected.no_such_phase": "There is no such phase on the agenda.",
    "rejected.already_there": "We are already in that phase.",
    "rejected.bad_minutes": "I did not get the number of minutes.",
    "rejected.too_short": "A phase cannot be shorter than one minute.",
    "rejected.already_started": "The session has already started.",
    "speaker.monologue": "{name}, time to let others in.",
    "speaker.client_in_consultation": "{name}, during the consultation the client listens.",
    "speaker.consultant_in_presentation": "During the presentation, let the client speak.",
    "speaker.dominant": "{name}, leave some room for the others.",
    "speaker.silent": "{name}, we would love to hear from you.",
    "and": "and",
    "hour": "hour",
    "hours": "hours",
    "minute": "minute",
    "minutes": "minutes",
    "one_minute": "one minute",
    "second": "second",
    "seconds": "seconds",
}

# what it prints (terminal lines, not said aloud)
PRINT = {
    "cli.session_folder": "session folder: {path}",
    "cli.report": "report: {path}",
    "cli.journal": "journal: {path}",
    "cli.resumed": "timekeeper: resumed {path} at {t} s",
    "cli.replaying": "timekeeper: resuming {path}: replaying {input} again up to {t} s (nothing is written twice)",
    "cli.settled": "timekeeper: what fell due while the session was down is journaled, not announced",
    "cli.ended_already": "timekeeper: the session in {path} has ended already; nothing to resume",
    "cli.heard": "heard \"{text}\" at {at}",
    "cli.ignored": "ignored \"{text}\" at {at} ({reason})",
    "cli.journaled_only": "({rule}: {speaker}, journaled only)",
    "cli.confirm_end": "Press q again within 3 seconds to end the session.",
    "cli.end_of_input": ("timekeeper: end of input; the clock keeps running. To end, send `end` as the last "
                         "line, or press Ctrl+C (the session can be taken up with --resume {path})."),
    "cli.line_refused": "timekeeper: line {n} refused: {why}",
    "cli.not_a_command": "\"{word}\" is not a command ({commands})",
    "cli.no_number": "\"{word}\" takes no number",
    "cli.needs_phase": "goto needs a phase number, e.g. \"goto 3\"",
    "cli.needs_minutes": "\"{word}\" needs a number of minutes from 1 to {max}, e.g. \"{word} 2\"",
    "tts.no_sound": "no sound output found",
    "tts.unavailable": "speech engine unavailable ({why})",
    "tts.printed": ("timekeeper: {reason}; announcements are printed (install espeak-ng and alsa-utils "
                    "and check the speaker, or use --no-tts to silence this line)"),
    "tts.failed": ("timekeeper: speech failed ({why}); this and later announcements are printed "
                   "(close what uses the sound card, or use --no-tts)"),
    "tts.engine_fallback": "timekeeper: pyttsx3 cannot speak ({why}); announcements are synthesised by the espeak-ng program",
    "tts.engine_bad_wav": ("timekeeper: pyttsx3 wrote a bad sound file ({why}); that announcement, and any other it "
                           "gets wrong, is synthesised by the espeak-ng program"),
    "tts.engine_hung": ("timekeeper: the speech engine did not finish within {s} s; this announcement is printed, "
                        "later ones are synthesised by the espeak-ng program"),
    "tts.hung": "timekeeper: the speech engine did not finish within {s} s and was stopped; every announcement is in the journal",
    "demo.intro": ("demo: a recorded {minutes}-minute codev session (client {client}, facilitator {animateur}, "
                   "{n} consultants), replayed through the real pipeline"),
    "demo.commands_spoken_in": "demo: the recorded facilitator gives the voice commands in English",
    "demo.enrolled": "demo: enrolled {n} voices from separate clips: {names}",
    "demo.done": "demo: {minutes} minutes of meeting replayed and reported in {seconds} s",
}

# the guided enrollment round
ENROLL = {
    "ask": "{name}, please speak for about {seconds} seconds: say what you expect from today.",
    "again": "{name}, I heard only {heard:.0f} seconds of clear speech. Please speak again, a little longer.",
    "noisy": "{name}, your voice was hard to hear over the room. Please come closer to the microphone and speak again.",
    "ok": "Thank you {name}.",
    "failed": "{name}, I could not learn your voice; we will go on without it.",
}

# the live terminal view
VIEW = {
    "phase": "Phase",
    "left": "left",
    "over": "over",
    "paused": "PAUSED",
    "session": "Session",
    "behind": "behind",
    "ahead": "ahead",
    "on_time": "on time",
    "speaking": "Speaking time",
    "heard": "Heard:",
    "command": "Command:",
    "said": "Said:",
    "next": "Next:",
    "last": "last phase",
    "keys": "Keys: space pause · n next · p previous · 0-9 go to phase · + / - minute · t time left · "
            "r repeat · q (twice) end",
    "ended": "Session ended",
    "warnings": "Warnings",
    "now": "speaking",
}

# --- the codev method -----------------------------------------------------------

# phase id -> (name, speaking rule)
PHASES = {
    "checkin": ("Check-in and last client's follow-up",
               "Short round; last session's client reports back."),
    "presentation": ("Presentation of the issue",
                    "The client presents; nobody interrupts, consultants listen and take notes."),
    "clarification": ("Clarifying questions",
                     "Consultants ask, the client answers; questions only, no advice or solutions yet."),
    "contract": ("Request and contract",
                "The client states the help they want; consultants may reformulate in turn."),
    "consultation": ("Consultation",
                    "Consultants speak in turn or popcorn; the client listens and takes notes."),
    "summary": ("Summary and action plan",
               "The client says what they keep and what they will do."),
    "learning": ("Learning and evaluation",
                "Each in turn says what they learned and how they will use it."),
}
# codev-N presets: minutes -> agenda name
PRESETS = {
    60: "Co-development, 60 minutes",
    90: "Co-development, 90 minutes",
    120: "Co-development, 120 minutes",
}
# who speaks in a phase (timekeeper agenda)
SPEAKERS = {
    "client": "client",
    "consultants": "consultants",
    "everyone": "everyone",
}
END = "end"  # the last line of a printed agenda
DEMO_AGENDA = "Co-development, 90 minutes played in {minutes}"  # `timekeeper demo` plays codev-90 shortened

# --- the report -----------------------------------------------------------------

# report wording
REPORT = {
    "title": "Session report",
    "cycle_title": "Cycle report",
    "agenda": "Agenda",
    "date": "Date",
    "duration": "Duration",
    "planned": "Planned",
    "actual": "Actual",
    "overrun": "Overrun",
    "phase": "Phase",
    "phases": "Phases: planned and actual",
    "start": "Start",
    "end": "End",
    "person": "Person",
    "role": "Role",
    "speaking": "Speaking time",
    "share": "Share",
    "turns": "Turns",
    "longest": "Longest turn",
    "people": "Speaking time per person",
    "per_phase": "Speaking time per phase",
    "timeline": "Who spoke when",
    "warnings": "Speaking-rule breaks",
    "no_warnings": "No speaking-rule break was recorded.",
    "balance": "Balance",
    "balance_group": "Balance index (consultants, whole session)",
    "balance_explain": "The balance index is the normalised Shannon entropy of the consultants' speaking shares: 1 means every consultant spoke equally, 0 means one consultant did all the talking.",
    "key_points": "In a few words",
    "participants": "Participants",
    "who_spoke": "Who spoke",
    "silent": "Did not speak",
    "unattributed": "Speech not attributed to anyone",
    "unknown": "Unknown voice",
    "unattributed_short": "Unattributed",
    "others": "+{n} others",
    "unnamed_voices": "Voices not named",
    "no_speaker_data": "Speaking time was not recorded in this session (clock only): the report shows the phases only.",
    "no_turns": "Speech was detected ({time}) but no speaker was identified.",
    "not_ended": "The journal stops at {t} without the end of the session (interrupted?).",
    "resumed_one": "The session was resumed once after an interruption.",
    "resumed_many": "The session was resumed {n} times after an interruption.",
    "torn_one": "One damaged journal line was skipped.",
    "torn_many": "{n} damaged journal lines were skipped.",
    "paused": "Paused",
    "extended": "Extended",
    "not_run": "not run",
    "total": "Total",
    "legend_planned": "planned",
    "legend_actual": "actual",
    "legend_overrun": "overrun",
    "role_client": "client",
    "role_consultant": "consultant",
    "role_animateur": "facilitator",
    "role_voice": "unnamed voice",
    "role_unknown": "unknown",
    "rule_monologue": "long monologue",
    "rule_client_in_consultation": "client spoke during the consultation",
    "rule_consultant_in_presentation": "consultant spoke during the presentation",
    "rule_dominant": "one person dominated",
    "rule_silent": "consultant still silent late in the phase",
    "speakers_client": "client speaks",
    "speakers_consultants": "consultants speak",
    "speakers_everyone": "everyone speaks",
    "at": "at",
    "line_top": "In {phase}, {name} spoke {pct} of the time",
    "line_top_session": "Over the session, {name} spoke {pct} of the time",
    "line_silent_one": "{names} did not speak",
    "line_silent_many": "{names} did not speak",
    "line_all_spoke": "every consultant spoke",
    "line_time_ok": "The session took {actual} for {planned} planned; every phase kept its time.",
    "line_time_over": "The session took {actual} for {planned} planned; {phase} overran by {over}.",
    "line_balance": "Balance among consultants: {value} (1 = perfectly even).",
    "line_breaks_one": "One speaking-rule break recorded: {rule}.",
    "line_breaks_many": "{n} speaking-rule breaks recorded: {rule}.",
    "and": "and",
    "sessions": "Sessions",
    "session": "Session",
    "client": "Client",
    "clients_so_far": "Has been client",
    "not_yet_client": "Not yet client",
    "cycle_shares": "Share of speaking time per session",
    "cycle_share_total": "Over the cycle",
    "balance_trend": "Balance trend",
    "trend_up": "more even over the cycle",
    "trend_down": "less even over the cycle",
    "trend_flat": "stable over the cycle",
    "generated": "Generated by timekeeper from the session journal; nothing was recorded.",
    "generated_audio": "Generated by timekeeper from the session journal; the session's audio was kept (--record): audio.wav in the session folder.",
}

# how this language sets text: the apostrophe the report uses for ', the decimal mark, the percent
# sign, colon and semicolon (with their spaces), quotes, hours and minutes
TYPOGRAPHY = {
    "apostrophe": "'",
    "decimal": ".",
    "percent": "%",
    "colon": ":",
    "semicolon": ";",
    "quote": "“{}”",
    "heard": "\"{}\"",
    "hours": "{h}\u00a0h\u00a0{m:02d}\u00a0min",
}
SINGULAR = (1,)  # counts that take the singular ("1 line", "0 lines")
