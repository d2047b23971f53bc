"""Flip partners of keypoints from their names (``left_eye``/``right_eye``, ``L_Eye``/``R_Eye``, ``forelegL1``/
``forelegR1``, ``NearHock``/``OffHock``), and the ``--flip-pairs a:b,c:d`` that gives or overrides them."""
from __future__ import annotations

import re

#: A side word or letter (lower case) and the word for the other side. ``near``/``off`` are the horse-world sides.
SIDES = {'left': 'right', 'right': 'left', 'l': 'r', 'r': 'l', 'near': 'off', 'off': 'near'}
#: The side words of the "left" side (coloured as MMPose colours COCO's left keypoints).
LEFT_WORDS = frozenset({'left', 'l', 'near'})
# words and letters: 'L_F_Paw' -> L _ F _ Paw, 'forelegL1' -> foreleg L 1, 'LeftEye' -> Left Eye
_TOKENS = re.compile(r'[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+|[^A-Za-z\d]+')
_LONG_SIDES = ('left', 'right')  # also as a prefix or suffix of a word: 'lefteye', 'eyeleft'


def infer_flip_pairs(names: tuple[str, ...]) -> dict[int, int]:
    """``{i: j}`` (both ways) for each keypoint ``i`` whose name with one side word swapped is the name ``j``.

    Raises:
        ValueError: a name whose swaps give two different keypoints (give ``--flip-pairs`` for it).
    """
    index = {name: i for i, name in enumerate(names)}
    partner: dict[int, int] = {}
    for i, name in enumerate(names):
        found = {index[other] for other in _swapped(name) if other in index and other != name}
        if len(found) > 1:
            raise ValueError(f'keypoint {name!r} could flip onto any of {sorted(names[j] for j in found)}: give its '
                             f'partner with --flip-pairs {name}:<partner>')
        if found:
            partner[i] = found.pop()
    return partner


def side_of(name: str) -> str | None:
    """``'left'``, ``'right'`` or ``None`` (no side word) for a keypoint name."""
    for token in _TOKENS.findall(name):
        low = token.lower()
        for word in _LONG_SIDES:
            if low.startswith(word) or low.endswith(word):
                return word
        if low in SIDES:
            return 'left' if low in LEFT_WORDS else 'right'
    return None


def parse_flip_pairs(text: str, names: tuple[str, ...]) -> dict[int, int]:
    """``{i: j}`` (both ways) of ``'a:b,c:d'``; ``'a:a'`` makes ``a`` flip onto itself.

    Raises:
        ValueError: a malformed pair, an unknown name, a pair given twice or a name given two partners.
    """
    index, partner = {name: i for i, name in enumerate(names)}, {}
    for item in filter(None, (part.strip() for part in text.split(','))):
        pair = [part.strip() for part in item.split(':')]
        if len(pair) != 2 or not all(pair):
            raise ValueError(f'--flip-pairs item {item!r} is not two names joined by ":": write a:b,c:d')
        unknown = [name for name in pair if name not in index]
        if unknown:
            raise ValueError(f'--flip-pairs names {unknown[0]!r}, which is not a keypoint name of the file: use one '
                             f'of {", ".join(names)}')
        a, b = (index[name] for name in pair)
        for x, y in ((a, b), (b, a)) if a != b else ((a, a),):
            if x in partner:
                again = 'gives a pair again' if partner[x] == y else \
                    f'would flip {names[x]!r} onto both {names[partner[x]]!r} and {names[y]!r}'
                raise ValueError(f'--flip-pairs: {item!r} {again}: give each keypoint one partner, once')
            partner[x] = y
    return partner


def _swapped(name: str) -> list[str]:
    """``name`` with one side word swapped, for each side word in it (case kept)."""
    tokens = _TOKENS.findall(name)
    out = []
    for n, token in enumerate(tokens):
        for other in _swap_token(token):
            out.append(''.join(tokens[:n] + [other] + tokens[n + 1:]))
    return out


def _swap_token(token: str) -> list[str]:
    low = token.lower()
    if low in SIDES:
        return [_same_case(SIDES[low], token)]
    swaps = []
    for word in _LONG_SIDES:
        if low != word and low.startswith(word):
            swaps.append(_same_case(SIDES[word], token[:len(word)]) + token[len(word):])
        if low != word and low.endswith(word):
            swaps.append(token[:-len(word)] + _same_case(SIDES[word], token[-len(word):]))
    return swaps


def _same_case(word: str, like: str) -> str:
    if like.isupper():
        return word.upper()
    return word.capitalize() if like[:1].isupper() else word
