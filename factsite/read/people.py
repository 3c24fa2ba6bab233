"""Reading the people of the desk: content/people/<id>.yml, named by claims' ``author:`` and
``editor:``."""

from __future__ import annotations

from pathlib import Path

from ..errors import Problems
from ..model.site import Person
from .filecache import DocumentCache
from .listing import content_files
from .parallel import read_many
from .reuse import Reuse
from .schema import PERSON_FIELDS
from .sources import SourceFile


class PersonFile(SourceFile):
    """What one person's file says, checked on its own."""

    FIELDS = PERSON_FIELDS
    ADDRESSES = ("url",)


def load_people(folder: Path, problems: Problems, jobs: int = 1,
                cache: DocumentCache | None = None, reuse: Reuse | None = None) -> list[Person]:
    """Every person whose file can be read, by id (a file's name is its address, people/<id>/,
    checked as every content file's is); none when the folder is not there."""
    reuse = reuse or Reuse()
    people = []
    paths = content_files(folder, "*.yml", problems, reuse=reuse)
    for path, file in zip(paths, read_many(paths, PersonFile, problems, jobs, cache), strict=True):
        person = file and reuse.made(("person", str(path)), (file,), lambda found: person_from(file), problems)  # noqa: B023
        if person is not None:
            people.append(person)
    return sorted(people, key=lambda person: person.id)


def person_from(file: PersonFile) -> Person | None:
    """The person, or None when a required field is missing (reported by the file's check)."""
    values = file.values
    if None in (values["name"], values["role"], values["bio"]):
        return None
    return Person(id=file.path.stem, name=values["name"], role=values["role"], bio=values["bio"],
                  url=values["url"], path=file.path, digest=file.digest)
