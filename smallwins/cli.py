"""``smallwins``: start the whole system, or one process of it, and look after it."""

from __future__ import annotations

import argparse
import asyncio
import sys

from shared.crypto import KeyFileProblem
from shared.db import MigrationChanged
from shared.logging import configure_logging
from shared.runtime import RuntimeProblem
from shared.settings import Settings
from smallwins import commands, parked, reconcile
from smallwins import erase as erasing
from smallwins.registry import SERVICES, deployed_nats_config


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="smallwins", description="Small Wins: small steps, seen.")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("up", help="start the whole system (embedded servers by default)")
    serve = sub.add_parser("serve", help="run one process: a service, web, or the local mail catcher (mail)")
    serve.add_argument("name", choices=[*SERVICES, "web", "mail"])
    sub.add_parser("migrate", help="apply every service's migrations")
    rebuild = sub.add_parser("rebuild", help="rebuild a read model from the event log")
    rebuild.add_argument("service", choices=list(SERVICES))
    rebuild.add_argument("read_model")
    sub.add_parser("status", help="servers, services, relays, consumers, lag, parked messages")
    parked = sub.add_parser("parked", help="list messages consumers parked; `parked replay ID|--all` puts them back")
    parked_sub = parked.add_subparsers(dest="parked_command")
    again = parked_sub.add_parser("replay", help="apply parked messages again through their consumer")
    again.add_argument("ids", nargs="*", metavar="ID", help="e.g. journal/3, as `smallwins parked` lists them")
    again.add_argument("--all", action="store_true", help="every parked message of every service")
    sub.add_parser("reconcile", help="update JetStream streams and consumers whose settings differ from the code")
    sub.add_parser("demo", help="add demo members and a few months of journal entries (while the system runs)")
    keys = sub.add_parser("keys", help="the key file: `keys init` for a new system, `keys rotate` for a new key")
    keys.add_argument("action", choices=["init", "rotate"])
    sub.add_parser("bus-config", help="print the NATS server configuration for a deployment (users and permissions)")
    grant = sub.add_parser("grant-moderator", help="make a member a moderator")
    grant.add_argument("pseudonym")
    erase = sub.add_parser("erase", help="erase a member at once, in every service (asks to confirm)")
    erase.add_argument("pseudonym")
    erase.add_argument("--yes", action="store_true", help="do not ask to confirm")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = Settings.from_env()
    except ValueError as exc:
        print(f"smallwins: {exc}", file=sys.stderr)  # noqa: T201
        return 2
    process = args.name if args.command == "serve" else args.command
    configure_logging(f"smallwins-{process}", settings.log_level)
    try:
        return _dispatch(args, settings)
    except (RuntimeProblem, KeyFileProblem, MigrationChanged) as exc:
        print(f"smallwins: {exc}", file=sys.stderr)  # noqa: T201
        return 1
    except KeyboardInterrupt:
        return 130


def _dispatch(args: argparse.Namespace, settings: Settings) -> int:
    match args.command:
        case "up":
            return commands.up(settings)
        case "serve":
            return commands.serve(settings, args.name)
        case "migrate":
            return asyncio.run(commands.migrate(settings))
        case "rebuild":
            return asyncio.run(commands.rebuild(settings, args.service, args.read_model))
        case "status":
            return asyncio.run(commands.status(settings))
        case "demo":
            return asyncio.run(commands.demo(settings))
        case "reconcile":
            return asyncio.run(reconcile.reconcile(settings))
        case "parked" if args.parked_command == "replay":
            return asyncio.run(parked.replay_parked(settings, args.ids, args.all))
        case "parked":
            return asyncio.run(parked.show(settings))
        case "keys":
            return asyncio.run(commands.keys(settings, args.action))
        case "bus-config":
            print(deployed_nats_config(settings.nats_prefix), end="")  # noqa: T201
            return 0
        case "grant-moderator":
            return asyncio.run(commands.grant_moderator(settings, args.pseudonym))
        case "erase":
            return asyncio.run(erasing.erase(settings, args.pseudonym, yes=args.yes))
    return 2
