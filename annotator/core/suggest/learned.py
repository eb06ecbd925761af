"""A clause classifier per label: TF-IDF of word 1-2-grams and character 3-4-grams, logistic regression (issue 13).

The measurements the issue cites: with a few hundred examples a linear model over n-grams is as good as anything
heavier and trains in well under a second on a laptop CPU. scikit-learn (BSD) is imported only when a model is
trained or used, so the command line and the window start without it.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

#: a label needs this many positive and negative clauses before it gets a model
MIN_POSITIVES = 3
MIN_NEGATIVES = 3


@dataclass
class LearnedModel:
    """Fitted features and one classifier per label that had enough examples."""

    version: str
    vectorizers: list[Any]  # sklearn TfidfVectorizer: words, characters
    labels: list[str]  # the labels that have a classifier, in the order of ``weights``' columns
    weights: Any  # numpy (features x labels): the logistic regressions' coefficients side by side
    intercepts: Any  # numpy (labels,)

    def features(self, texts: Sequence[str]) -> Any:
        from scipy.sparse import hstack

        return hstack([v.transform(texts) for v in self.vectorizers], format="csr")

    def probabilities(self, texts: Sequence[str]) -> dict[str, list[float]]:
        """label -> the probability of each text (a clause) holding that label: the logistic regressions' own
        formula on one matrix product (predict_proba per label validates its input each time: 3x slower)."""
        if not texts or not self.labels:
            return {}
        import numpy as np

        scores = self.features(texts) @ self.weights + self.intercepts
        probs = 1.0 / (1.0 + np.exp(-np.asarray(scores)))
        return {label: probs[:, j].tolist() for j, label in enumerate(self.labels)}


def load() -> None:
    """Import what :func:`fit` needs (seconds, once per process), so it can be done before a timed training."""
    import scipy.sparse  # noqa: F401
    import sklearn.feature_extraction.text  # noqa: F401
    import sklearn.linear_model  # noqa: F401


def fit(texts: Sequence[str], targets: Mapping[str, Sequence[int | None]], version: str) -> LearnedModel | None:
    """Fit on ``texts`` (clauses); ``targets[label][i]`` is 1, 0, or None (unknown: not used for that label).

    None when no label has :data:`MIN_POSITIVES` positives and :data:`MIN_NEGATIVES` negatives."""
    usable = {
        label: ys for label, ys in targets.items()
        if sum(1 for y in ys if y == 1) >= MIN_POSITIVES and sum(1 for y in ys if y == 0) >= MIN_NEGATIVES
    }
    if not usable:
        return None
    import numpy as np
    from scipy.sparse import hstack
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    vectorizers = [
        TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=1, lowercase=True, dtype=np.float32),
        # 3-4-grams: 5-grams doubled the fitting time on 1 000 spans and bought nothing measurable
        TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 4), sublinear_tf=True, min_df=2, lowercase=True,
                        max_features=60000, dtype=np.float32),
    ]
    x = hstack([v.fit_transform(texts) for v in vectorizers], format="csr")
    from sklearn.exceptions import ConvergenceWarning

    labels, weights, intercepts = [], [], []
    for label, ys in usable.items():
        rows = [i for i, y in enumerate(ys) if y is not None]
        # the dual problem: far fewer clauses than features, 3x faster to fit than the primal (measured)
        clf = LogisticRegression(C=4.0, class_weight="balanced", solver="liblinear", dual=True, max_iter=500)
        with warnings.catch_warnings():  # a fit stopped at max_iter is still a usable model; nobody reads the warning
            warnings.simplefilter("ignore", ConvergenceWarning)
            clf.fit(x[rows], [ys[i] for i in rows])
        labels.append(label)
        weights.append(clf.coef_[0])
        intercepts.append(clf.intercept_[0])
    return LearnedModel(version, vectorizers, labels, np.array(weights, dtype=np.float32).T,
                        np.array(intercepts, dtype=np.float32))
