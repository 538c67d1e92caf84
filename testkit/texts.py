"""Sentence banks for synthetic speakers: codev-style talk, distractors, enrollment.

Distractors contain command words (next, phase, pause, time left, add two minutes...)
but never a wake phrase: they exist to provoke false accepts.
"""

from __future__ import annotations

import numpy as np

from testkit.phrases import check_lang, contains_wake_phrase

TALK: dict[str, tuple[str, ...]] = {
    "en": (
        "My problem is that my team does not share information anymore.",
        "I have tried weekly meetings, but people stop coming after a month.",
        "What did your manager say when you raised the issue?",
        "Have you asked the team what they expect from you?",
        "How long has this been going on?",
        "I think the real question is about trust, not about meetings.",
        "In my experience, a small ritual works better than a big plan.",
        "Could you tell us more about the people involved?",
        "I would start by meeting each person one to one.",
        "It sounds like you carry most of the weight yourself.",
        "What would success look like for you in six months?",
        "I had a similar situation last year with a supplier.",
        "Maybe the objective is not clear enough for everyone.",
        "I wonder whether the budget is the real constraint here.",
        "You could ask a colleague to co-lead the project with you.",
        "I noted three ideas that I want to test next week.",
        "What I keep from today is that I should listen more.",
        "Thank you all, this helped me see the situation differently.",
        "Let me check that I understood the request correctly.",
        "I am not sure that I agree with that suggestion.",
        "The deadline is at the end of the quarter.",
        "There are eight people in the team, and two are new.",
        "I learned a lot from the way you asked your questions.",
        "Writing down the decisions might save everyone some effort.",
        "So your request is about how to get the team involved again.",
        "Yes, that is exactly what I would like help with.",
        "I suggest that you share the draft before the meeting.",
        "It is hard to say no to the director in that context.",
        "Perhaps you could try a short survey first.",
        "We talked about this in our last session as well.",
    ),
    "fr": (
        "Mon problème, c'est que mon équipe ne partage plus les informations.",
        "J'ai essayé des réunions chaque semaine, mais les gens ne viennent plus.",
        "Qu'est-ce que ton responsable a répondu quand tu en as parlé ?",
        "As-tu demandé à l'équipe ce qu'elle attend de toi ?",
        "Depuis combien de mois cela dure-t-il ?",
        "Je crois que la vraie question porte sur la confiance.",
        "Dans mon expérience, un petit rituel marche mieux qu'un grand plan.",
        "Peux-tu nous en dire plus sur les personnes concernées ?",
        "Je commencerais par voir chaque personne en tête à tête.",
        "On dirait que tu portes presque tout le travail seul.",
        "À quoi ressemblerait une réussite dans six mois ?",
        "J'ai vécu une situation semblable l'an dernier avec un fournisseur.",
        "Peut-être que l'objectif n'est pas assez clair pour tout le monde.",
        "Je me demande si le budget est la vraie contrainte.",
        "Tu pourrais demander à un collègue de piloter le projet avec toi.",
        "J'ai noté trois idées que je veux essayer la semaine prochaine.",
        "Ce que je retiens aujourd'hui, c'est que je dois écouter davantage.",
        "Merci à tous, cela m'a aidé à voir les choses autrement.",
        "Je vérifie que j'ai bien compris ta demande.",
        "Je ne suis pas sûr d'être d'accord avec cette idée.",
        "L'échéance tombe à la fin du trimestre.",
        "Il y a huit personnes dans l'équipe, dont deux nouvelles.",
        "J'ai beaucoup appris de la façon dont vous avez posé vos questions.",
        "Écrire les décisions ferait gagner du temps à tout le monde.",
        "Donc ta demande porte sur la façon de remobiliser l'équipe.",
        "Oui, c'est exactement là-dessus que j'aimerais de l'aide.",
        "Je te propose de partager le brouillon avant la réunion.",
        "C'est difficile de dire non au directeur dans ce contexte.",
        "Tu pourrais commencer par un petit questionnaire.",
        "On en avait déjà parlé lors de notre dernière séance.",
    ),
}

DISTRACTORS: dict[str, tuple[str, ...]] = {
    "en": (
        "The next phase of my project starts in May.",
        "Can we pause on that point for a second?",
        "How much time is left on the contract?",
        "I'd add two minutes of context before answering.",
        "Let's go back to the previous phase of the plan.",
        "We should not pause the project now.",
        "Could you repeat the last question, please?",
        "We will resume the talks with the client next week.",
        "The end of the session is often the best part.",
        "I need to remove one minute from my speech.",
        "Go to phase three of the roadmap and you will see it.",
        "There is not much time left before the deadline.",
        "What is the next step for the team?",
        "Time is the real problem in my job.",
        "Keep your notes for the next phase.",
        "Let me add one minute to what she said.",
        "The previous manager paused everything.",
        "Next time, I will ask for more time.",
    ),
    "fr": (
        "On fait une pause ?",
        "Combien de temps il nous reste ?",
        "La phase suivante du projet commence en mai.",
        "On reprend le dossier du client la semaine prochaine.",
        "Tu peux répéter la dernière question ?",
        "J'ajoute deux minutes de contexte avant de répondre.",
        "La phase précédente du plan était plus simple.",
        "À la fin de la séance, on fera le point.",
        "J'enlève une minute à mon intervention.",
        "Il ne reste plus beaucoup de temps avant l'échéance.",
        "On passe à la phase trois de la feuille de route.",
        "Quelle est la prochaine étape pour l'équipe ?",
        "Le temps, c'est le vrai problème dans mon travail.",
        "Le chronomètre de la salle est en panne.",
        "Faisons une petite pause dans le projet.",
        "La suite du projet dépend du budget.",
    ),
}

_OPENERS: dict[str, tuple[str, ...]] = {
    "en": ("", "Well,", "Honestly,", "You know,", "Right,", "So,", "Actually,", "To be fair,", "I mean,"),
    "fr": ("", "Bon,", "Franchement,", "Tu sais,", "Alors,", "En fait,", "Bref,", "Disons que", "Enfin,"),
}

# A neutral reading passage, different from the session's talk, for enrollment audio.
ENROLLMENT: dict[str, tuple[str, ...]] = {
    "en": (
        "Hello, I am reading this out loud so that the tool can learn my voice.",
        "I usually arrive early and sit near the window, close to the coffee machine.",
        "On weekends I walk along the river and sometimes I read in the park.",
        "The weather changed quickly this morning, from bright sun to heavy rain.",
        "Reading a short passage aloud helps the system recognise how I speak.",
        "Numbers like seventeen, forty two and ninety nine sound different for everyone.",
        "My favourite meal is a simple soup with fresh bread and a little cheese.",
        "Last summer we travelled by train across the mountains to the sea.",
    ),
    "fr": (
        "Bonjour, je lis ce passage pour que l'outil apprenne ma voix.",
        "J'arrive souvent en avance et je m'assieds près de la fenêtre.",
        "Le week-end, je me promène au bord de la rivière et je lis au parc.",
        "Le temps a changé très vite ce matin, du grand soleil à la pluie.",
        "Lire un court texte à voix haute aide le système à reconnaître ma voix.",
        "Des nombres comme dix-sept, quarante-deux et quatre-vingt-dix-neuf.",
        "Mon plat préféré est une soupe simple avec du pain frais.",
        "L'été dernier, nous avons traversé les montagnes en train jusqu'à la mer.",
    ),
}


def varied(bank: tuple[str, ...], lang: str, rng: np.random.Generator, count: int) -> list[str]:
    """``count`` sentences from ``bank``, each with a random opener (seeded, may repeat)."""
    check_lang(lang)
    out = []
    for _ in range(count):
        sentence = bank[int(rng.integers(len(bank)))]
        opener = _OPENERS[lang][int(rng.integers(len(_OPENERS[lang])))]
        if opener:
            sentence = f"{opener} {sentence[0].lower()}{sentence[1:]}"
        out.append(sentence)
    return out


def _check_banks() -> None:
    for lang, bank in DISTRACTORS.items():
        for s in bank:
            assert not contains_wake_phrase(s), s


_check_banks()
