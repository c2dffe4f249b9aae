import datetime as dt

from pipeline.core import fmt

NNBSP, NBSP = "\u202f", "\u00a0"


def test_french_formats():
    assert fmt.number(12345) == f"12{NNBSP}345"
    assert fmt.number(3.456, 1) == "3,5"
    assert fmt.percent(0.035) == f"3,5{NNBSP}%"
    assert fmt.percent(0.5, 0) == f"50{NNBSP}%"
    assert fmt.euros(150000) == f"150{NNBSP}000{NBSP}€"
    assert fmt.date(dt.date(2026, 1, 1)) == "1 janvier 2026"


def test_parameter_values_read_in_french():
    assert fmt.value(0.04) == "0,04"
    assert fmt.value(12000) == "12\u202f000"
    assert fmt.value([5, 10, 20]) == "5 ; 10 ; 20"
    assert fmt.value([0.1, "x"]) == "0,1 ; x"
    assert fmt.value(True) == "oui" and fmt.value(None) == "—"
    assert fmt.value("limesurvey") == "limesurvey"


def test_a_missing_number_reads_not_available_never_nan():
    import math

    import numpy as np

    for missing in (math.nan, np.float64("nan"), None):
        assert fmt.number(missing) == fmt.percent(missing) == fmt.euros(missing) == "n.d."


def test_years_read_as_years_and_shares_as_percentages():
    assert fmt.year(2016) == fmt.year(2016.0) == "2016"  # never « 2 016 »
    assert fmt.year(None) == fmt.MISSING
    assert fmt.share(0.154) == "15,4\u202f%"
    assert fmt.share(0.5) == "50\u202f%"
    assert fmt.share(1.15) == "115\u202f%"
