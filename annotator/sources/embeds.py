"""The words an embedded video player brings into a saved page's text: its skip link ("Video überspringen") and its
consent or privacy notice ("Hinweis: Wenn Sie dieses Video hier abspielen, erfolgt eine Datenübertragung an YouTube
bzw. Google."). The extractor keeps them as paragraphs of the statement (trial 13, F8: twice, one per video, on a
bundesrat.de page); they are the player's, not the statement's, and are dropped and listed as picture credits are.

A player's words are the text of the element that holds the player (an ``<iframe>`` of a video site, a ``<video>``,
an ``<embed>`` or ``<object>``), when that element holds little text (at most :data:`MAX_HOLDER_CHARS`) and some of
it speaks of the video or of its data (:data:`_PLAYER_WORDS`): a statement's paragraph that merely stands beside a
player keeps its place.
"""

from __future__ import annotations

import re

#: the source of an ``<iframe>`` that is a video player
_PLAYER_SOURCE = re.compile(r"youtube|youtu\.be|vimeo|dailymotion|twitch|brightcove|jwplayer|kaltura|/embed/|"
                            r"player|video", re.IGNORECASE)
#: words of a player's skip link or notice: video, play, skip, data, privacy, consent (German, French, Spanish too)
_PLAYER_WORDS = re.compile(
    r"video|vidéo|youtube|vimeo|abspielen|überspringen|datenübertragung|datenschutz|play|skip|privacy|cookie|"
    r"consent|einwilligung|données|lecture|reproducir|datos", re.IGNORECASE)
#: a player's holder with more text than this is a part of the page, not the player's own furniture
MAX_HOLDER_CHARS = 600
#: a player in the markup: only a page holding one is parsed again (an ``<iframe>`` of an advert is none)
_MARKUP = re.compile(rb"<video\b|<(?:iframe|embed|object)\b[^<>]*?(?:youtube|youtu\.be|vimeo|dailymotion|twitch|"
                     rb"brightcove|jwplayer|kaltura|/embed/|player|video)", re.IGNORECASE)


def player_texts(data: bytes) -> list[str]:
    """The pieces of text (whitespace made single spaces) of the elements holding a page's video players."""
    if not _MARKUP.search(data):
        return []
    from trafilatura.utils import load_html

    tree = load_html(data)
    if tree is None:
        return []
    found: dict[str, None] = {}
    for player in tree.iter("iframe", "video", "embed", "object"):
        source = " ".join(player.get(key) or "" for key in ("src", "data-src", "data"))
        holder = player.getparent()
        if holder is None or (player.tag in ("iframe", "embed", "object") and not _PLAYER_SOURCE.search(source)):
            continue
        whole = " ".join(holder.text_content().split())
        if len(whole) > MAX_HOLDER_CHARS or not _PLAYER_WORDS.search(whole):
            continue
        for piece in holder.itertext():
            piece = " ".join(piece.split())
            if sum(ch.isalnum() for ch in piece) >= 2:
                found[piece] = None
    return sorted(found, key=len, reverse=True)


def is_player_line(line: str, pieces: list[str]) -> bool:
    """Whether a line of the extracted text is made of nothing but a player's pieces (the extractor may join the
    skip link and the notice into one line)."""
    rest = " ".join(line.split())
    if not rest or not pieces:
        return False
    for piece in pieces:
        rest = rest.replace(piece, " ")
    return not any(ch.isalnum() for ch in rest)
