"""Options several commands share, declared once; the command class that writes their help plainly."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from typer.core import TyperArgument, TyperCommand

KbOption = Annotated[Path | None, typer.Option("--kb", envvar="PEERADVISOR_KB", hidden=True,
                                               help="Folder holding rules/ and knowledge/.")]
SetOption = Annotated[list[str] | None, typer.Option(
    "--set", metavar="PATH=VALUE", show_default=False,
    help="What if: change an answer first, e.g. --set context.staffing_pressure=false or "
         "--set responses[0].inventory.4.4=yes (repeatable).")]


_TYPE_TAGS = {"<path>": "PATH", "<str>": "TEXT", "<int>": "N", "<float>": "NUMBER"}


def _plain_argument(param: Any) -> str:
    """`FILE`, `[FILE]` or `FILE...`: the argument's metavar as most command-line tools write it."""
    name = param.metavar or (param.name or "").upper()
    if param.nargs != 1 and not name.endswith("..."):
        name += "..."
    return name if param.required else f"[{name}]"


class PlainCommand(TyperCommand):
    """A command whose usage line and help read `FILE`, `[FILE]` and `FILE...` (typer's own read
    `{file}` and `files... <list[Path]>`), and whose options show `PATH`, not `<path>`."""

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        pieces = [self.options_metavar] if self.options_metavar else []
        for param in self.get_params(ctx):
            if isinstance(param, TyperArgument):
                pieces.append(_plain_argument(param))
            else:
                pieces.extend(param.get_usage_pieces(ctx))
        return pieces

    def format_options(self, ctx: Any, formatter: Any) -> None:
        args, opts = [], []
        for param in self.get_params(ctx):
            record = param.get_help_record(ctx)
            if record is None:
                continue
            if isinstance(param, TyperArgument):
                args.append((_plain_argument(param).strip("[]"), record[1]))
            else:
                name = record[0]
                for tag, word in _TYPE_TAGS.items():
                    name = name.replace(tag, word)
                opts.append((name, record[1]))
        for title, rows in (("Arguments", args), ("Options", opts)):
            if rows:
                with formatter.section(title):
                    formatter.write_dl(rows)


F = TypeVar("F", bound=Callable[..., Any])


class App(typer.Typer):
    """typer.Typer whose commands are PlainCommand unless told otherwise."""

    def command(self, *args: Any, **kwargs: Any) -> Callable[[F], F]:
        kwargs.setdefault("cls", PlainCommand)
        decorator: Callable[[F], F] = super().command(*args, **kwargs)
        return decorator
