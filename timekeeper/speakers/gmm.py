"""Diagonal-covariance Gaussian mixtures in numpy: EM training, MAP adaptation, scoring.

Log-likelihoods of all components of several models are computed with two matrix
products (``x² @ A + x @ B + c``), so scoring an hour of frames against ten models is
a few seconds of BLAS.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

_VAR_FLOOR = 1e-3


@dataclass(frozen=True, eq=False)
class DiagGMM:
    weights: np.ndarray  # (m,)
    means: np.ndarray  # (m, d)
    variances: np.ndarray  # (m, d)

    @property
    def n_components(self) -> int:
        return int(self.weights.shape[0])

    def to_dict(self) -> dict[str, list]:
        return {
            "weights": self.weights.astype(float).round(7).tolist(),
            "means": self.means.astype(float).round(5).tolist(),
            "variances": self.variances.astype(float).round(6).tolist(),
        }

    @staticmethod
    def from_dict(d: dict) -> "DiagGMM":
        return DiagGMM(
            np.asarray(d["weights"], np.float64),
            np.asarray(d["means"], np.float64),
            np.asarray(d["variances"], np.float64),
        )


def _params(gmms: list[DiagGMM]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Stack models into (A, B, c) so that component log-density = x²·A + x·B + c."""
    prec = np.vstack([1.0 / g.variances for g in gmms])  # (M, d)
    means = np.vstack([g.means for g in gmms])
    logw = np.concatenate([np.log(np.maximum(g.weights, 1e-12)) for g in gmms])
    d = means.shape[1]
    c = (
        logw
        - 0.5 * d * np.log(2 * np.pi)
        + 0.5 * np.sum(np.log(prec), axis=1)
        - 0.5 * np.sum(means * means * prec, axis=1)
    )
    return (-0.5 * prec).T.astype(np.float32), (means * prec).T.astype(np.float32), c.astype(np.float32)


class Scorer:
    """Frame log-likelihoods of a fixed list of models, vectorised."""

    def __init__(self, gmms: list[DiagGMM]) -> None:
        self.gmms = list(gmms)
        a, b, self._c = _params(self.gmms)
        self._w = np.ascontiguousarray(np.vstack([a, b]))  # one product: [x², x] @ [A; B]
        self._bounds = np.cumsum([0] + [g.n_components for g in self.gmms])

    def component_logp(self, x: np.ndarray) -> np.ndarray:
        x = np.asarray(x, np.float32)
        return np.hstack([x * x, x]) @ self._w + self._c

    def frame_loglik(self, x: np.ndarray) -> np.ndarray:
        """(n_frames, n_models) log p(x_t | model)."""
        lp = self.component_logp(x)
        out = np.empty((lp.shape[0], len(self.gmms)), np.float32)
        for i in range(len(self.gmms)):
            out[:, i] = _logsumexp(lp[:, self._bounds[i] : self._bounds[i + 1]])
        return out


def _logsumexp(a: np.ndarray) -> np.ndarray:
    m = a.max(axis=1)
    return m + np.log(np.exp(a - m[:, None]).sum(axis=1))


def _estep(x: np.ndarray, g: DiagGMM) -> tuple[np.ndarray, float]:
    lp = Scorer([g]).component_logp(x).astype(np.float64)
    tot = _logsumexp(lp)
    return np.exp(lp - tot[:, None]), float(tot.mean())


def train_gmm(x: np.ndarray, n_components: int, *, iters: int = 20, seed: int = 0) -> DiagGMM:
    """EM from a random-frame start (k-means-like first step); variances floored."""
    x = np.asarray(x, np.float64)
    n, d = x.shape
    rng = np.random.default_rng(seed)
    m = max(1, min(n_components, n // 20))
    gvar = x.var(axis=0) + 1e-6
    means = x[rng.choice(n, m, replace=False)]
    # a few k-means steps
    for _ in range(5):
        dist = ((x[:, None, :] - means[None]) ** 2 / gvar).sum(-1) if n * m < 2_000_000 else None
        if dist is None:
            dist = (x * x / gvar).sum(1)[:, None] - 2 * (x / gvar) @ means.T + (means**2 / gvar).sum(1)
        lab = dist.argmin(1)
        for k in range(m):
            sel = x[lab == k]
            if len(sel):
                means[k] = sel.mean(0)
    g = DiagGMM(np.full(m, 1.0 / m), means, np.tile(gvar, (m, 1)))
    floor = np.maximum(gvar * _VAR_FLOOR * 10, 1e-4)
    for _ in range(iters):
        r, _ll = _estep(x, g)
        nk = r.sum(0) + 1e-10
        mu = (r.T @ x) / nk[:, None]
        var = (r.T @ (x * x)) / nk[:, None] - mu * mu
        var = np.maximum(var, floor)
        g = DiagGMM(nk / nk.sum(), mu, var)
    return g


def map_adapt(ubm: DiagGMM, x: np.ndarray, relevance: float = 16.0) -> DiagGMM:
    """Means-only MAP adaptation of ``ubm`` to frames ``x`` (Reynolds et al. 2000)."""
    r, _ = _estep(np.asarray(x, np.float64), ubm)
    nk = r.sum(0)
    ex = (r.T @ x) / np.maximum(nk, 1e-10)[:, None]
    alpha = (nk / (nk + relevance))[:, None]
    return DiagGMM(ubm.weights.copy(), alpha * ex + (1 - alpha) * ubm.means, ubm.variances.copy())


def pool(gmms: list[DiagGMM]) -> DiagGMM:
    """One mixture of several models with equal prior: a background model."""
    k = len(gmms)
    return DiagGMM(
        np.concatenate([g.weights / k for g in gmms]),
        np.vstack([g.means for g in gmms]),
        np.vstack([g.variances for g in gmms]),
    )


def broad(gmms: list[DiagGMM], inflate: float = 1.0) -> DiagGMM:
    """One Gaussian with the mean and variance of the pooled models: a generic voice of
    the room, the reference that makes scores absolute ("better than a generic voice")."""
    p = pool(gmms)
    w = p.weights[:, None]
    mu = (w * p.means).sum(axis=0)
    var = (w * (p.variances + p.means**2)).sum(axis=0) - mu**2
    return DiagGMM(np.ones(1), mu[None, :], var[None, :] * inflate)
