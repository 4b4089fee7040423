"""What moto's ``mock_aws(config=...)`` dict means to stubaws.

moto suites pass options such as ``{"core": {"mock_credentials": True}}`` or
``{"batch": {"use_docker": False}}``. stubaws accepts the dict so that such suites run
unchanged: an option whose meaning stubaws always has is accepted silently, and every other
one is ignored with a single warning that names them all.
"""

from __future__ import annotations

import warnings
from typing import Any, Mapping

__all__ = ["check_moto_config"]

# (section, option) -> the values stubaws already behaves as; None: any value fits
_ALWAYS: dict[tuple[str, str], Any] = {
    ("core", "mock_credentials"): (True,),
    ("core", "reset_boto3_session"): (True,),
    # AWS managed policies are always there (loaded when first used), so either choice fits.
    ("iam", "load_aws_managed_policies"): None,
}


def check_moto_config(config: Mapping[str, Any]) -> list[str]:
    """The options of ``config`` that stubaws ignores (``"section.option"``), after warning
    once about them; options that stubaws always honours are not listed."""
    if not isinstance(config, Mapping):
        raise TypeError(f"config is moto's dict of sections, like {{'core': {{...}}}}; got {config!r}")
    ignored: list[str] = []
    for section, options in config.items():
        if not isinstance(options, Mapping):
            ignored.append(str(section))
            continue
        for option, value in options.items():
            fits = _ALWAYS.get((section, option), ())
            if fits is None or value in (fits or ()):
                continue
            ignored.append(f"{section}.{option}")
    if ignored:
        warnings.warn(
            f"stubaws ignores these options of moto's config: {', '.join(ignored)} "
            f"(see 'Migrating from moto' in stubaws' docs for what each means here)",
            UserWarning,
            stacklevel=3,
        )
    return ignored
