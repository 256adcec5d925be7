"""An ipywidgets coding panel for :class:`framing.frames.active.CodingLoop`.

One unit at a time, with its article's title and the sentences around it; a button
per frame plus "none" and "unsure"; progress. Every click is saved at once (the
codes file is rewritten atomically), so closing the notebook mid-way loses nothing
and a new panel resumes with the first uncoded unit of the coder's queue.
In multi-label mode frame buttons toggle (each toggle is saved) and "next" moves on.
"""

from __future__ import annotations

import html
from typing import Any

from framing.frames.active import CodingLoop
from framing.frames.coding import NONE_LABEL, UNSURE_LABEL

__all__ = ["CodingPanel", "coding_panel"]


class CodingPanel:
    """The widget and its state; display it in a notebook cell.

    Attributes
    ----------
    widget : ipywidgets.VBox
    buttons : dict of str to ipywidgets.Button
        One per frame key, plus ``"none"`` and ``"unsure"`` (and ``"next"`` in
        multi-label mode); ``panel.buttons["conflict"].click()`` codes like a click.
    unit_id : str or None
        The unit shown (None when the queue is done).
    """

    def __init__(self, loop: CodingLoop, *, coder: str = "coder_1", batch: int = 20) -> None:
        import ipywidgets as w

        self.loop, self.coder, self.batch = loop, coder, batch
        self.unit_id: str | None = None
        self._chosen: set[str] = set()
        self.progress = w.HTML()
        self.context = w.HTML()
        self.status = w.HTML()
        names = {**loop.labels, NONE_LABEL: "None", UNSURE_LABEL: "Unsure"}
        self.buttons: dict[str, Any] = {}
        for key in [*loop.keys, NONE_LABEL, UNSURE_LABEL]:
            button = w.Button(
                description=names[key],
                tooltip=key,
                button_style="" if key in loop.keys else "warning",
                layout=w.Layout(width="auto"),
            )
            button.on_click(lambda _b, k=key: self._clicked(k))
            self.buttons[key] = button
        rows = [w.HBox(list(self.buttons.values()))]
        if loop.mode == "multi":
            self.buttons["next"] = w.Button(description="Next", button_style="primary")
            self.buttons["next"].on_click(lambda _b: self._advance())
            rows.append(self.buttons["next"])
        self.widget = w.VBox([self.progress, self.context, *rows, self.status])
        self._advance()

    def _ipython_display_(self) -> None:  # pragma: no cover - notebook only
        from IPython.display import display

        display(self.widget)

    def _clicked(self, key: str) -> None:
        if self.unit_id is None:
            return
        if self.loop.mode == "single" or key in (NONE_LABEL, UNSURE_LABEL):
            self.loop.code(self.unit_id, key, coder=self.coder)
            self.status.value = f"saved: {html.escape(key)} ({self.loop.path.name})"
            self._advance()
            return
        self._chosen ^= {key}
        self.loop.code(self.unit_id, sorted(self._chosen) or NONE_LABEL, coder=self.coder)
        self.buttons[key].button_style = "success" if key in self._chosen else ""
        self.status.value = f"saved: {html.escape(';'.join(sorted(self._chosen)) or 'none')}"

    def _advance(self) -> None:
        self._chosen = set()
        for key in self.loop.keys:
            self.buttons[key].button_style = ""
        unit = self.loop.next_unit(self.coder)
        if unit is None:
            self.loop.propose(self.batch, coder=self.coder)
            unit = self.loop.next_unit(self.coder)
        self.unit_id = unit
        p = self.loop.progress(self.coder)
        self.progress.value = (
            f"<b>{html.escape(self.coder)}</b>: {p['coded']} coded, {p['queued']} left in "
            f"this batch ({p['total']} codes by all coders)"
        )
        if unit is None:
            self.context.value = "<i>Every unit of the corpus is coded.</i>"
            return
        c = self.loop.context(unit)
        grey = "color:#777"
        before = "".join(f"<p style='{grey}'>{html.escape(t)}</p>" for t in c["before"])
        after = "".join(f"<p style='{grey}'>{html.escape(t)}</p>" for t in c["after"])
        self.context.value = (
            f"<div><small>{html.escape(str(c['outlet']))}</small>"
            f"<h4>{html.escape(c['title'])}</h4>{before}"
            f"<p style='font-size:1.15em;background:#ffe'><b>{html.escape(c['text'])}</b></p>"
            f"{after}</div>"
        )


def coding_panel(loop: CodingLoop, *, coder: str = "coder_1", batch: int = 20) -> CodingPanel:
    """Return a coding panel for ``coder`` (proposes ``batch`` units when the queue is empty).

    Examples
    --------
    In a notebook::

        loop = CodingLoop(units, "generic-news", "coded/codes.csv", articles=articles)
        coding_panel(loop, coder="alice")
    """
    return CodingPanel(loop, coder=coder, batch=batch)
