"""French: every word timekeeper says or understands in this language.

A language is this one module: copy it to ``xx.py``, translate the values, keep the keys
(tests/test_lang.py checks every language module defines the same names and keys, with
the same ``{fields}`` in each text)."""

NAME = "French"  # in messages written in English ("no French speech model installed")
ESPEAK_VOICE = "roa/fr"  # espeak-ng voice id of the announcer

# --- what it understands -------------------------------------------------------

WAKE = "chrono"  # the default wake phrase
# one-word spellings a recogniser or a user may produce, mapped to the wake phrase
WAKE_SPELLINGS = {}

# réponses à « Terminer la séance ? Dites oui, ou appuyez sur q. » (seules ou après le mot d'éveil)
YES = ("oui",)
NO = ("non",)

ZERO = "zéro"
# number words 1-10 as heard (several words may say the same number; the first is how it is said)
NUMBERS = {"un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7, "huit": 8, "neuf": 9, "dix": 10}
FEMININE = {1: "une"}  # number words before a feminine noun ("une minute")
MINUTE_WORDS = ("minute", "minutes")  # {min} in the templates: people say both, whatever the number

# Command phrases (after the wake phrase): {n} a number word, {min} a MINUTE_WORDS word;
# in "aller à la phase {n}" the numbers are the agenda's phase numbers. Kinds: timekeeper.commands.
# Chosen for distance, not for the number of synonyms: no two phrases for different commands
# differ by a short word ("ajoute / enlève deux minutes", "étape suivante / précédente",
# "phase {n}" were dropped). No French model is available here, so
# tests/test_phrase_confusability.py measures a phonetic distance on espeak-ng's French phonemes.
COMMANDS = [
    ("phase suivante", "next"), ("on passe à la suite", "next"),
    ("phase précédente", "previous"), ("reviens en arrière", "previous"),
    ("aller à la phase {n}", "goto"), ("va à la phase {n}", "goto"),
    ("pause", "pause"), ("mets en pause", "pause"),
    ("on reprend", "resume"), ("continue", "resume"),
    ("combien de temps reste t il", "time_left"), ("il reste combien de temps", "time_left"),
    ("ajoute {n} {min}", "extend"), ("rajoute {n} {min}", "extend"),
    ("{n} {min} de moins", "shorten"),
    ("répète", "repeat"), ("tu peux répéter", "repeat"),
    ("fin de la séance", "end"), ("termine la séance", "end"),
    ("annule", "undo"), ("annule ça", "undo"),
]
# the one phrasing per command that help texts and the test sessions use
CANONICAL = {
    "next": "phase suivante",
    "previous": "phase précédente",
    "goto": "aller à la phase {n}",
    "pause": "pause",
    "resume": "on reprend",
    "time_left": "combien de temps reste-t-il",
    "extend": "ajoute {n} {min}",
    "shorten": "{n} {min} de moins",
    "repeat": "répète",
    "end": "fin de la séance",
    "undo": "annule",
}

# --- what it says ---------------------------------------------------------------

# announcements: str.format templates
SAY = {
    "session_started": "Début de la séance : {agenda}.",
    "phase_started": "Phase {number} : {name}. {duration}.",
    "phase_back": "Retour à la phase {number} : {name}. {left}",  # une phase déjà entamée : le temps qui lui reste
    "time_warning": "Il reste {duration}.",
    "time_up": "Le temps est écoulé pour la phase {name}.",
    "overrun": "{name} : {duration} de dépassement.",
    "phase_ended_over": "{name} terminée avec {duration} de dépassement.",
    "behind": "Nous avons {duration} de retard ; les dernières phases ({squeezed}) risquent d'être écourtées.",
    "paused": "Chrono en pause.",
    "resumed": "On reprend. {left}",
    "extended": "{duration} de plus. {left}",
    "shortened": "{duration} de moins. {left}",
    "left": "Il reste {duration}.",  # {left} above: the time left as a sentence, true when over time too
    "left_over": "Dépassement de cette phase : {duration}.",
    "left_none": "Le temps de cette phase est écoulé.",
    "status": "Il reste {duration} dans cette phase. {plan}",
    "status_over": "Dépassement de cette phase : {duration}. {plan}",
    "plan_behind": "Nous avons {duration} de retard sur le plan.",
    "plan_ahead": "Nous avons {duration} d'avance sur le plan.",
    "plan_on_time": "Nous sommes dans les temps.",
    "ended": "Fin de la séance. Durée : {duration}.",
    "ended_over": "Fin de la séance. Durée : {duration}, soit {over} de plus que prévu.",
    "ack": "D'accord.",
    "undone": "Annulé : {command}. Phase {number}, il reste {duration}.",
    "undone_paused": "Annulé : {command}. Phase {number}, en pause, il reste {duration}.",
    "undone_over": "Annulé : {command}. Phase {number}, {duration} de dépassement.",
    "confirm.end": "Terminer la séance ? Dites oui, ou appuyez sur q.",
    "confirm.kept": "La séance continue.",
    "sorry": "Pardon ?",
    "rejected.nothing_to_undo": "Il n'y a rien à annuler.",
    "device_lost": "Le micro ne répond plus ; le chrono continue.",
    "device_restored": "Le micro est revenu.",
    "rejected.at_first_phase": "Nous sommes déjà à la première phase.",
    "rejected.not_paused": "Le chrono n'est pas en pause.",
    "rejected.already_paused": "Le chrono est déjà en pause.",
    "rejected.ended": "La séance est terminée.",
    "rejected.not_started": "La séance n'a pas commencé.",
    "rejected.no_such_phase": "Cette phase n'existe pas dans l'ordre du jour.",
    "rejected.already_there": "Nous sommes déjà dans cette phase.",
    "rejected.bad_minutes": "Je n'ai pas compris le nombre de minutes.",
    "rejected.too_short": "La phase ne peut pas durer moins d'une minute.",
    "rejected.already_started": "La séance a déjà commencé.",
    "speaker.monologue": "{name}, pensez à laisser la parole.",
    "speaker.client_in_consultation": "{name}, pendant la consultation, le client écoute.",
    "speaker.consultant_in_presentation": "Pendant l'exposé, laissons le client parler.",
    "speaker.dominant": "{name}, laissez un peu de place aux autres.",
    "speaker.silent": "{name}, nous aimerions vous entendre.",
    "and": "et",
    "hour": "heure",
    "hours": "heures",
    "minute": "minute",
    "minutes": "minutes",
    "one_minute": "une minute",
    "second": "seconde",
    "seconds": "secondes",
}

# what it prints (terminal lines, not said aloud)
PRINT = {
    "cli.session_folder": "dossier de la séance : {path}",
    "cli.report": "rapport : {path}",
    "cli.journal": "journal : {path}",
    "cli.resumed": "timekeeper : séance {path} reprise à {t} s",
    "cli.replaying": "timekeeper : reprise de {path} : {input} est rejoué jusqu'à {t} s (rien n'est écrit deux fois)",
    "cli.settled": "timekeeper : ce qui est échu pendant l'interruption est noté au journal, pas annoncé",
    "cli.ended_already": "timekeeper : la séance {path} est déjà terminée ; rien à reprendre",
    "cli.heard": "entendu « {text} » à {at}",
    "cli.ignored": "ignoré « {text} » à {at} ({reason})",
    "cli.journaled_only": "({rule} : {speaker}, noté au journal seulement)",
    "cli.confirm_end": "Appuyez encore sur q dans les 3 secondes pour terminer la séance.",
    "cli.end_of_input": ("timekeeper : fin de l'entrée ; le chrono continue. Pour terminer, écrivez « end » "
                         "en dernière ligne, ou Ctrl+C (la séance se reprend avec --resume {path})."),
    "cli.line_refused": "timekeeper : ligne {n} refusée : {why}",
    "cli.not_a_command": "« {word} » n'est pas une commande ({commands})",
    "cli.no_number": "« {word} » ne prend pas de nombre",
    "cli.needs_phase": "« goto » attend un numéro de phase, p. ex. « goto 3 »",
    "cli.needs_minutes": "« {word} » attend un nombre de minutes entre 1 et {max}, p. ex. « {word} 2 »",
    "tts.no_sound": "aucune sortie son trouvée",
    "tts.unavailable": "synthèse vocale indisponible ({why})",
    "tts.printed": ("timekeeper : {reason} ; les annonces sont affichées (installez espeak-ng et alsa-utils "
                    "et vérifiez le haut-parleur, ou --no-tts pour ne plus voir cette ligne)"),
    "tts.failed": ("timekeeper : la synthèse vocale a échoué ({why}) ; cette annonce et les suivantes sont "
                   "affichées (fermez ce qui occupe la carte son, ou --no-tts)"),
    "tts.engine_fallback": ("timekeeper : pyttsx3 ne peut pas parler ({why}) ; les annonces sont synthétisées par "
                            "le programme espeak-ng"),
    "tts.engine_bad_wav": ("timekeeper : pyttsx3 a écrit un fichier son défectueux ({why}) ; cette annonce, et toute "
                           "autre qu'il rate, est synthétisée par le programme espeak-ng"),
    "tts.engine_hung": ("timekeeper : la synthèse vocale n'a pas fini en {s} s ; cette annonce est affichée, "
                        "les suivantes sont synthétisées par le programme espeak-ng"),
    "tts.hung": "timekeeper : la synthèse vocale n'a pas fini en {s} s et a été arrêtée ; toutes les annonces sont au journal",
    "demo.intro": ("démo : une séance de codéveloppement enregistrée de {minutes} minutes (client {client}, "
                   "animateur {animateur}, {n} consultants), rejouée dans la vraie chaîne d'écoute"),
    "demo.commands_spoken_in": ("démo : dans l'enregistrement, l'animateur donne les commandes vocales en "
                                "anglais ; annonces et rapport sont en français (en séance, après "
                                "`timekeeper models install fr`, les commandes se disent en français)"),
    "demo.enrolled": "démo : {n} voix apprises sur des extraits à part : {names}",
    "demo.done": "démo : {minutes} minutes de réunion rejouées et résumées en {seconds} s",
}

# the guided enrollment round
ENROLL = {
    "ask": "{name}, parlez environ {seconds} secondes s'il vous plaît : dites ce que vous attendez de la séance.",
    "again": "{name}, je n'ai entendu que {heard:.0f} secondes de parole claire. Recommencez un peu plus longuement.",
    "noisy": "{name}, votre voix se distinguait mal du bruit de la salle. Approchez-vous du micro et recommencez.",
    "ok": "Merci {name}.",
    "failed": "{name}, je n'ai pas pu apprendre votre voix ; on continue sans elle.",
}

# the live terminal view
VIEW = {
    "phase": "Phase",
    "left": "restant",
    "over": "dépassement",
    "paused": "EN PAUSE",
    "session": "Séance",
    "behind": "de retard",
    "ahead": "d'avance",
    "on_time": "dans les temps",
    "speaking": "Temps de parole",
    "heard": "Entendu :",
    "command": "Commande :",
    "said": "Annoncé :",
    "next": "Ensuite :",
    "last": "dernière phase",
    "keys": "Touches : espace pause · n suivante · p précédente · 0-9 aller à la phase · + / - minute · "
            "t temps · r répéter · q (deux fois) fin",
    "ended": "Séance terminée",
    "warnings": "Alertes",
    "now": "parle",
}

# --- the codev method -----------------------------------------------------------

# phase id -> (name, speaking rule)
PHASES = {
    "checkin": ("Accueil et retour du client précédent",
               "Tour court ; le client de la séance précédente fait son retour."),
    "presentation": ("Exposé de la problématique",
                    "Le client expose ; personne ne l'interrompt, les consultants écoutent et prennent des notes."),
    "clarification": ("Clarification",
                     "Les consultants posent des questions, le client répond ; pas encore de conseils ni de solutions."),
    "contract": ("Contrat",
                "Le client formule sa demande ; les consultants peuvent la reformuler à tour de rôle."),
    "consultation": ("Consultation",
                    "Les consultants s'expriment à tour de rôle ; le client écoute et prend des notes."),
    "summary": ("Synthèse et plan d'action",
               "Le client dit ce qu'il retient et ce qu'il va faire."),
    "learning": ("Apprentissages et évaluation",
                "Chacun à son tour dit ce qu'il a appris et comment il l'utilisera."),
}
# codev-N presets: minutes -> agenda name
PRESETS = {
    60: "Codéveloppement, 60 minutes",
    90: "Codéveloppement, 90 minutes",
    120: "Codéveloppement, 120 minutes",
}
# who speaks in a phase (timekeeper agenda)
SPEAKERS = {
    "client": "client",
    "consultants": "consultants",
    "everyone": "tout le monde",
}
END = "fin"  # the last line of a printed agenda
DEMO_AGENDA = "Codéveloppement, 90 minutes jouées en {minutes}"  # `timekeeper demo` plays codev-90 shortened

# --- the report -----------------------------------------------------------------

# report wording
REPORT = {
    "title": "Compte rendu de séance",
    "cycle_title": "Bilan du cycle",
    "agenda": "Déroulé",
    "date": "Date",
    "duration": "Durée",
    "planned": "Prévu",
    "actual": "Réel",
    "overrun": "Dépassement",
    "phase": "Phase",
    "phases": "Phases\u00a0: prévu et réel",
    "start": "Début",
    "end": "Fin",
    "person": "Personne",
    "role": "Rôle",
    "speaking": "Temps de parole",
    "share": "Part",
    "turns": "Prises de parole",
    "longest": "Plus longue intervention",
    "people": "Temps de parole par personne",
    "per_phase": "Temps de parole par phase",
    "timeline": "Qui a parlé quand",
    "warnings": "Écarts aux règles de parole",
    "no_warnings": "Aucun écart aux règles de parole n'a été relevé.",
    "balance": "Équilibre",
    "balance_group": "Indice d'équilibre (consultants, toute la séance)",
    "balance_explain": "L'indice d'équilibre est l'entropie de Shannon normalisée des parts de parole des consultants\u00a0: 1 signifie que tous les consultants ont parlé autant, 0 qu'un seul consultant a tout dit.",
    "key_points": "En quelques mots",
    "participants": "Participants",
    "who_spoke": "Qui a parlé",
    "silent": "N'a pas parlé",
    "unattributed": "Parole attribuée à personne",
    "unknown": "Voix inconnue",
    "unattributed_short": "Non attribué",
    "others": "+{n}\u00a0autres",
    "unnamed_voices": "Voix non nommées",
    "no_speaker_data": "Le temps de parole n'a pas été enregistré pendant cette séance (chronomètre seul)\u00a0: le compte rendu ne montre que les phases.",
    "no_turns": "De la parole a été détectée ({time}) mais aucun orateur n'a été identifié.",
    "not_ended": "Le journal s'arrête à {t} sans la fin de séance (interruption\u202f?).",
    "resumed_one": "La séance a repris une fois après une interruption.",
    "resumed_many": "La séance a repris {n}\u00a0fois après une interruption.",
    "torn_one": "Une ligne abîmée du journal a été ignorée.",
    "torn_many": "{n}\u00a0lignes abîmées du journal ont été ignorées.",
    "paused": "En pause",
    "extended": "Prolongé",
    "not_run": "non tenue",
    "total": "Total",
    "legend_planned": "prévu",
    "legend_actual": "réel",
    "legend_overrun": "dépassement",
    "role_client": "client",
    "role_consultant": "consultant",
    "role_animateur": "animateur",
    "role_voice": "voix non nommée",
    "role_unknown": "inconnu",
    "rule_monologue": "monologue trop long",
    "rule_client_in_consultation": "le client a parlé pendant la consultation",
    "rule_consultant_in_presentation": "un consultant a parlé pendant l'exposé",
    "rule_dominant": "une personne a monopolisé la parole",
    "rule_silent": "consultant encore silencieux en fin de phase",
    "speakers_client": "le client parle",
    "speakers_consultants": "les consultants parlent",
    "speakers_everyone": "tout le monde parle",
    "at": "à",
    "line_top": "En phase «\u00a0{phase}\u00a0», {name} a parlé {pct} du temps",
    "line_top_session": "Sur l'ensemble de la séance, {name} a parlé {pct} du temps",
    "line_silent_one": "{names} n'a pas parlé",
    "line_silent_many": "{names} n'ont pas parlé",
    "line_all_spoke": "tous les consultants ont parlé",
    "line_time_ok": "La séance a duré {actual} pour {planned} prévues\u202f; chaque phase a tenu son temps.",
    "line_time_over": "La séance a duré {actual} pour {planned} prévues\u202f; {phase} a débordé de {over}.",
    "line_balance": "Équilibre entre consultants\u00a0: {value} (1 = parfaitement réparti).",
    "line_breaks_one": "Un écart aux règles de parole\u00a0: {rule}.",
    "line_breaks_many": "{n}\u00a0écarts aux règles de parole\u00a0: {rule}.",
    "and": "et",
    "sessions": "Séances",
    "session": "Séance",
    "client": "Client",
    "clients_so_far": "A été client",
    "not_yet_client": "Pas encore client",
    "cycle_shares": "Part du temps de parole par séance",
    "cycle_share_total": "Sur le cycle",
    "balance_trend": "Évolution de l'équilibre",
    "trend_up": "plus équilibré au fil du cycle",
    "trend_down": "moins équilibré au fil du cycle",
    "trend_flat": "stable au fil du cycle",
    "generated": "Produit par timekeeper à partir du journal de séance\u202f; rien n'a été enregistré.",
    "generated_audio": "Produit par timekeeper à partir du journal de séance\u202f; l'audio de la séance a été conservé (--record)\u00a0: audio.wav dans le dossier de la séance.",
}

# how this language sets text: the apostrophe the report uses for ', the decimal mark, the percent
# sign, colon and semicolon (with their spaces), quotes, hours and minutes
TYPOGRAPHY = {
    "apostrophe": "’",
    "decimal": ",",
    "percent": "\u202f%",
    "colon": "\u00a0:",
    "semicolon": "\u202f;",
    "quote": "«\u00a0{}\u00a0»",
    "heard": "« {} »",
    "hours": "{h}\u00a0h\u00a0{m:02d}",
}
SINGULAR = (0, 1)  # counts that take the singular ("0 ligne", "1 ligne", "2 lignes")
