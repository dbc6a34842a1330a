"""Can readers with colour-vision deficiencies tell the report's reference colours apart?

Colours are passed through the simulation matrices of Machado, Oliveira and Fernandes (2009,
"A physiologically-based model for simulation of color vision deficiency", severity 1.0) in
linear RGB, then compared by their CIE 1976 colour difference (ΔE*ab) in CIELAB.
"""

from __future__ import annotations

from itertools import combinations

import numpy as np

SIMULATIONS = {
    "normal vision": np.eye(3),
    "protanopia": np.array([[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216],
                            [-0.003882, -0.048116, 1.051998]]),
    "deuteranopia": np.array([[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413],
                              [-0.011820, 0.042940, 0.968881]]),
    "tritanopia": np.array([[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602],
                            [0.004733, 0.691367, 0.303900]]),
}
_SRGB_TO_XYZ = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]])
_WHITE = np.array([0.95047, 1.0, 1.08883])


def _linear(hex_colour: str) -> np.ndarray:
    srgb = np.array([int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)])
    return np.where(srgb <= 0.04045, srgb / 12.92, ((srgb + 0.055) / 1.055) ** 2.4)


def _lab(linear_rgb: np.ndarray) -> np.ndarray:
    xyz = _SRGB_TO_XYZ @ np.clip(linear_rgb, 0, 1) / _WHITE
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def smallest_difference(colours: dict[str, str], condition: str) -> tuple[float, tuple[str, str]]:
    """The closest pair of colours as seen under ``condition``, and their ΔE*ab."""
    matrix = SIMULATIONS[condition]
    seen = {name: _lab(matrix @ _linear(code)) for name, code in colours.items()}
    pairs = ((float(np.linalg.norm(seen[a] - seen[b])), (a, b)) for a, b in combinations(seen, 2))
    return min(pairs)
