"""Units carried explicitly (pint): every coefficient in a factor file states its unit, every input column has one,
and the engine multiplies arrays only by scale factors that pint derived from those units — so kWh and MWh,
m³ and 万m³, GJ and MJ, t and kg cannot be confused, and a coefficient in the wrong dimension is refused.

Standard coal (kgce/tce), CO₂ (kgCO2/tCO2) and carbon (tC) are dimensions of their own: 1 tce is a convention, not an
energy that pint could silently trade for kWh (当量值 and 等价值 differ), and tC→tCO2 is the explicit 44/12.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import pint


class UnitError(ValueError):
    """A unit that is unknown or of the wrong dimension; the message is for the user (Chinese)."""


CO2_PER_C = 44 / 12  # molar masses CO₂/C


@cache
def registry() -> pint.UnitRegistry[Any]:
    reg: pint.UnitRegistry[Any] = pint.UnitRegistry()
    for line in ("kgce = [standard_coal]", "tce = 1000 * kgce", "kgCO2 = [carbon_dioxide]", "tCO2 = 1000 * kgCO2",
                 "tC = [carbon]", "wan_m3 = 10000 * m**3"):
        reg.define(line)
    return reg


@cache
def scale(source: str, target: str) -> float:
    """The number by which a value in `source` is multiplied to be in `target` (a dimension mismatch is an error)."""
    return product_scale((source,), target)


@cache
def product_scale(units: tuple[str, ...], target: str) -> float:
    """The scale of a product of quantities (activity × NCV × carbon content …) into `target`."""
    reg = registry()
    try:
        q = reg.Quantity(1.0, "")
        for u in units:
            q = q * reg.Quantity(1.0, u)
        return float(q.to(target).magnitude)
    except pint.errors.DimensionalityError as exc:
        raise UnitError(f"“{' × '.join(units)}”不能换算为“{target}”（量纲不同）") from exc
    except (pint.errors.UndefinedUnitError, AttributeError, TypeError, ValueError) as exc:
        raise UnitError(f"无法识别的单位：{'、'.join(units)}") from exc
