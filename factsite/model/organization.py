"""Who publishes the site, and how it is funded: the disclosures site.yml makes (read/config.py),
which pages show when they include "organization" and `factsite check --ifcn` asks for."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Organization:
    name: str
    url: str | None
    logo: str | None


@dataclass
class Funder:
    name: str
    amount: str | None
    period: str | None
    url: str | None


@dataclass
class Funding:
    statement: str | None  # how the publication is funded, e.g. that it funds itself
    funders: list[Funder]
