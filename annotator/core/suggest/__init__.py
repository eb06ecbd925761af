"""Suggestions (issue 13): cue patterns from the codebook and a model learned from the project's own labels.

Qt-free and store-free: everything here works on texts and ``(start, end, label)`` tuples in code points.

- :mod:`.segment`: a statement's sentences and clauses, the units a suggestion covers;
- :mod:`.cues`: cue patterns (phrase, token pattern, regular expression), validated and compiled;
- :mod:`.defaults`: the default codebook's cue patterns;
- :mod:`.learned`: a TF-IDF + logistic-regression clause classifier per label (scikit-learn, imported lazily);
- :mod:`.suggester`: training data, the combined suggester and its :class:`~.suggester.Suggestion`;
- :mod:`.evaluate`: precision, recall and F1 per label (overlap and exact), cross-validated;
- :mod:`.why`: why a suggestion is made, in words (the cue's matched words and record, what the model learned from).

A suggestion is never an annotation: nothing here writes spans; the store keeps only rejections.
"""
