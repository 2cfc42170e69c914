"""The report's real+synthetic vs real-only table: F1 gain in points, FPR change, mean per fraction."""

from __future__ import annotations

from anomalygen.detectors.evaluation.report import gain_table


def _row(model: str, arm: str, f1: float, fpr: float, recall: float) -> dict[str, object]:
    return {"model": model, "arm": arm, "fraction": 0.01, "n_seeds": 3, "f1_prior": f1, "fpr": fpr,
            "recall": recall}


def test_gains_are_paired_per_model_and_averaged_per_fraction() -> None:
    rows = [_row("deeplog", "real", 0.50, 0.10, 0.99), _row("deeplog", "real+synthetic", 0.60, 0.06, 0.985),
            _row("pca", "real", 0.80, 0.02, 0.90), _row("pca", "real+synthetic", 0.79, 0.02, 0.90)]
    table = gain_table(rows)
    assert "| deeplog | 0.01 | +10.00 | -40% | -0.005 |" in table
    assert "| pca | 0.01 | -1.00 | +0% | +0.000 |" in table
    assert "Mean F1@prior gain at 0.01 real: +4.50 points over 2 detector(s)." in table


def test_no_table_without_both_arms() -> None:
    assert gain_table([_row("pca", "real", 0.8, 0.02, 0.9)]) == ""
