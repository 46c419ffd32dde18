"""Safe YAML: a loader for untrusted YAML -> plain data, refusing anchors and aliases.

Imported only where YAML is parsed (`content`, and `sources` when libyaml is missing),
so that a build with nothing to do does not import PyYAML. Imports no other Folio module.
"""

from __future__ import annotations

from typing import Any

import yaml


class NoAliasLoader(yaml.SafeLoader):
    """A safe YAML loader that refuses anchors and aliases (no alias bombs)."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.MarkedYAMLError(
                None, None, "YAML aliases (*name) are not allowed; write the value out in full",
                event.start_mark,
            )
        return super().compose_node(parent, index)
