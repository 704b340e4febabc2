"""One schema per language-data resource: the keys a `<lang>/<resource>.toml` may hold, and their types.

Code reads language data as plain tables (`table.get("verbs", [])`), so a misspelt key or a list where a
table belongs would be read as "no data" and fail silently. Every file is therefore checked against its
resource's schema when it is first read (`langdata.load_one`): a key no schema declares, or a value of
the wrong type, raises `LangdataError` naming the file, the key path and what was expected.

The schemas are pydantic models that forbid unknown keys and take scalars strictly (no "3" for 3, no
`true` for 1). They describe the files, not what code receives: the loader still hands out the raw
table, so validating changes no value. A model's defaults are those the reading code assumes when a
key is absent. Tables whose keys are data (words, month names, event types) are `dict`s; tables whose
keys the code asks for by name are models, so a misspelt name is caught too.

To add a key: declare it on the resource's model below (one class per resource, `RESOURCES` at the
end maps resource names to models); `xx/` files may have their own model (`Resource.neutral`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, Literal, get_args, get_origin

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictFloat,
    StrictInt,
    StrictStr,
    ValidationError,
)
from pydantic.fields import FieldInfo

SCHEMA_FILE = "src/newsgraph/langdata/schemas.py"
NEUTRAL = "xx"  # the language-independent folder (`langdata.NEUTRAL`)

# No unions (`X | None`): pydantic reports a failed union once per member, which reads badly in a message.
Str = StrictStr
Int = StrictInt
Bool = StrictBool
Number = StrictFloat  # an integer or a decimal (no bool, no string), read as `Decimal(value)`
# an empty word would make the alternations built from a list match everywhere
Word = Annotated[StrictStr, Field(min_length=1)]
Words = list[Word]
Pair = Annotated[list[Word], Field(min_length=2, max_length=2)]  # read as `for a, b in ...`
Rewrite = Annotated[list[StrictStr], Field(min_length=2, max_length=2)]  # [from, to]; "" deletes
WordTable = dict[StrictStr, Words]  # name -> words (event type -> trigger phrases, ...)


class LangdataError(ValueError):
    """A language-data file that does not parse or does not match its resource's schema."""


class Schema(BaseModel):
    """Base of every schema: unknown keys are errors."""

    model_config = ConfigDict(extra="forbid")


# ---------------------------------------------------------------------------------------- boilerplate
class BoilerplateRule(Schema):
    """One `[[rules]]` entry (ingest/clean.py `_compile`; scopes are checked there)."""

    kind: Str
    scope: Str
    patterns: Words = []
    phrases: Words = []
    max_chars: Int = 300  # clean.DEFAULT_MAX_CHARS
    needs_digit: Bool = False
    joiners: Words = []
    short_tail: Bool = False


class Boilerplate(Schema):
    """`boilerplate.toml`, read by ingest/clean.py `rulebook`."""

    rules: list[BoilerplateRule] = []
    section_words: Words = []


# ---------------------------------------------------------------------------------------- claims
class Claims(Schema):
    """`claims.toml`, read by claims/rules.py `rules_for` (claim kinds are checked there)."""

    kinds: WordTable = {}
    count_nouns: Words = []
    subcount_cues: Words = []
    conjunctions: Words = []
    prepositions: Words = []
    clause_words: Words = []
    attribution_cues: Words = []
    trailing_attribution_cues: Words = []
    speech_verbs: Words = []
    as_of_cues: Words = []
    data_words: Words = []
    follow_on: Words = []
    reported_units: Words = []


# ---------------------------------------------------------------------------------------- dateline
class Dateline(Schema):
    """`dateline.toml`, read by ingest/dateline.py `_reader` (month numbers 1-12, `order` like "DMY")."""

    months: dict[Str, Annotated[StrictInt, Field(ge=1, le=12)]] = {}
    order: Annotated[StrictStr, Field(pattern=r"^[DMY]{3}$")] = "DMY"
    weekdays: Words = []
    published_cues: Words = []
    updated_cues: Words = []
    time_connectors: Words = []
    date_joiners: Words = []
    day_suffixes: Words = []
    year_suffixes: Words = []
    time_suffixes: Words = []
    embed_patterns: Words = []


# ---------------------------------------------------------------------------------------- entities
class Entities(Schema):
    """`entities.toml`, read by entities/backends/lexicon.py `lexicon` (and `particles` by names.py)."""

    stop: Words = []
    months: Words = []
    weekdays: Words = []
    titles: Words = []
    honorifics: Words = []
    particles: Words = []
    not_particles: Words = []
    org_words: Words = []
    loc_words: Words = []
    per_suffixes: Words = []
    places: Words = []
    possessives: Words = []
    abbreviations: Words = []
    lemmatize: Bool = False
    dictionary: Str = ""  # simplemma's language code; absent: the language's own
    capitalised_nouns: Bool = False
    extend_with_heads: Bool = False
    apostrophe_suffixes: Bool = False
    verb_endings: Words = []
    proclitics: Words = []
    definite: Words = []
    conjunctions: Words = []
    # Articles and demonstratives that a model takes into a name only when a sentence begins with
    # them ("The State Department said"); cut there as their lower-case forms are everywhere.
    leading_articles: Words = []


# ---------------------------------------------------------------------------------------- events
class EventMarkers(Schema):
    """`[markers]`: words that give a participant or a context its role (events/window.py, arguments.py,
    attributes.py ask for them by these names)."""

    agent: Words = []
    partner: Words = []
    partner_after: Words = []
    between: Words = []
    between_after: Words = []
    place: Words = []
    relative_place: Words = []
    target: Words = []
    genitive: Words = []
    attribution: Words = []
    attribution_after: Words = []
    light: Words = []
    negation: Words = []
    future: Words = []
    hypothetical: Words = []
    mark_hypothetical: Words = []
    purpose: Words = []
    relative: Words = []
    speech: Words = []  # verbs (lemmas) that report what someone said: "déclarer", "заявить", "say"
    anaphora: Words = []  # words by which a speech verb takes up the sentence before: "ce", "этом", "that"
    and_: Words = Field(default=[], alias="and")


class EventRoles(Schema):
    """`[roles]`: trigger phrases with a participant role (`Lexicon.has_role`)."""

    host: Words = []
    destination: Words = []
    reciprocal: Words = []
    obligation: Words = []


class EventContexts(Schema):
    """Word lists by context (`[heads]`, `[suffixes]`, `[morph]` as "NAME=VALUE" features)."""

    future: Words = []
    hypothetical: Words = []
    negation: Words = []


class EventSuffixes(EventContexts):
    """`[suffixes]`: word endings of a context, or of a participant's role (Turkish "-de", "-le")."""

    place: Words = []
    partner: Words = []
    object: Words = []  # the accusative: marks the direct object, the guest of a reception


class EventCues(Schema):
    """`[cues]`: phrases that mark a sentence's event as reported."""

    reported: Words = []


class EventIntent(Schema):
    """`[intent]` of `xx`: the event types that are cooperative or hostile."""

    cooperative: Words = []
    hostile: Words = []


class Events(Schema):
    """`events.toml`, read by events/lexicon.py `build_lexicon` and events/delegates.py (`negotiator`).

    Event types and modes (`[verbs.CONSULT]`, `[modes.CONSULT]`) are data: any name is accepted."""

    verbs: WordTable = {}
    nouns: WordTable = {}
    stop: Words = []
    modes: dict[Str, WordTable] = {}
    weak_modes: WordTable = {}
    roles: EventRoles = EventRoles()
    markers: EventMarkers = EventMarkers()
    cues: EventCues = EventCues()
    heads: EventContexts = EventContexts()
    morph: EventContexts = EventContexts()
    symmetric: Words = []
    intent: EventIntent = EventIntent()
    audience: Words = []
    recipients: Words = []
    named_sides: Words = []
    delegation: Words = []
    suffixes: EventSuffixes = EventSuffixes()
    head_final: Bool = False
    verb_initial: Bool = False
    clause_final_verb: Bool = False
    max_lead: Int = 3
    compounds: Bool = False
    negotiator: Words = []


# ---------------------------------------------------------------------------------------- framing
class Framing(Schema):
    """`<lang>/framing.toml`, read by stories/lexicon.py (whose `check` adds categories and concepts)."""

    max_ending: Annotated[StrictInt, Field(ge=0)] = 3
    prefixes: Words = []
    stop: Words = []
    terms: dict[Str, WordTable] = {}  # category -> concept -> terms


class FramingNeutral(Framing):
    """`xx/framing.toml` also declares the concepts and their polarity."""

    concepts: dict[Str, dict[Str, Int]] = {}


# ---------------------------------------------------------------------------------------- numbers
# how a figure relates to the true one: a value of the interchange's `bound` ("exact" when none)
Bound = Literal["more_than", "less_than", "about", "at_least", "at_most"]


class Bounds(Schema):
    """`[bounds]`, `[bounds_after]`: the phrases of each bound ("plus de" -> more_than)."""

    more_than: Words = []
    less_than: Words = []
    about: Words = []
    at_least: Words = []
    at_most: Words = []


class VagueReading(Schema):
    """A vague number word ("dozens"): the value it stands for and its bound."""

    value: Number
    bound: Bound


class Numbers(Schema):
    """`numbers.toml`, read by claims/numbers.py `notation_for`."""

    decimal_mark: Str = "."
    group_separators: Words = []
    codes: Words = []  # regexes
    words: dict[Str, Number] = {}
    multipliers: dict[Str, Number] = {}
    scales: dict[Str, Number] = {}
    factors: dict[Str, Number] = {}
    articles: Words = []
    vague: dict[Str, VagueReading] = {}
    currency_scales: dict[Str, Number] = {}
    currency_prefixes: dict[Str, Str] = {}
    currencies: dict[Str, Str] = {}
    units: dict[Str, Str] = {}
    bounds: Bounds = Bounds()
    bounds_after: Bounds = Bounds()  # phrases after the number
    reached: Words = []
    connectors: Words = []
    word_joiners: Words = []
    range_joiners: Words = []
    range_openers: dict[Str, Str] = {}
    designators: Words = []


# ---------------------------------------------------------------------------------------- quotes
class Quotes(Schema):
    """`quotes.toml`, read by quotes/lexicon.py `quote_lexicon`."""

    pairs: list[Pair] = []  # [opening mark, closing mark]
    spaced: Words = []
    inline: Words = []
    dashes: Words = []
    attributors: Words = []
    verbs: Words = []
    phrases: Words = []
    participle_endings: Words = []
    sources: Words = []  # "according to {}"
    complementizers: Words = []
    pronouns: Words = []
    passive: Words = []
    adjuncts: Words = []
    auxiliaries: Words = []
    relatives: Words = []
    clause_openers: Words = []
    dialogue_dashes: Words = []
    first_person: Words = []
    inner_verbs: Words = []
    speech_nouns: Words = []
    noun_links: Words = []
    after_verbs: Words = []
    masculine: Words = []
    feminine: Words = []
    governed: Words = []  # a verb with the preposition it governs ("complain about", "warnte vor")
    contractions: dict[StrictStr, StrictStr] = {}  # a fused article -> its preposition ("des" -> "de")
    publishing: Words = []  # verbs of the outlet's own reporting ("we reported"): not the writer's stance
    masculine_verb_endings: Words = []  # past-tense endings that mark the speaker's gender (Slavic)
    feminine_verb_endings: Words = []
    infinitive_endings: Words = []  # after a dialogue dash, an infinitive does not close the quote


# ---------------------------------------------------------------------------------------- roles
class Role(Schema):
    """One `[[role]]` entry: the phrases that name an office (entities/kb.py `_RolePhrases`)."""

    office: Str
    title: Str = ""  # how the office is called, when it tells offices apart ("president")
    country: Str = ""  # the country the phrase implies when the text names none
    phrases: Words = []


class Roles(Schema):
    """`roles.toml`, read by entities/kb.py and entities/roles.py (`not_current`)."""

    lemmatiser: Str = ""
    not_current: Words = []
    role: list[Role] = []


# ---------------------------------------------------------------------------------------- sentences
class Sentences(Schema):
    """`<lang>/sentences.toml`, read by language/sentences.py `rules_for`."""

    terminators: Words = []
    closers: Words = []
    spaced_closers: Words = []
    openers: Words = []
    dashes: Words = []
    bullets: Words = []
    continuation_marks: Words = []
    continuation_words: Words = []
    abbreviations: Words = []
    final_abbreviations: Words = []
    unit_abbreviations: Words = []
    ordinal_period: Bool = False


class SentencesNeutral(Sentences):
    """`xx/sentences.toml` must give every key: `rules_for` reads them as `table[key]`."""

    terminators: Words
    closers: Words
    spaced_closers: Words
    openers: Words
    dashes: Words
    bullets: Words
    continuation_marks: Words
    continuation_words: Words
    abbreviations: Words
    final_abbreviations: Words
    unit_abbreviations: Words
    ordinal_period: Bool


# ---------------------------------------------------------------------------------------- times
class TimesWords(Schema):
    """`[words]` of `times.toml`: one table per word class (times/grammar.py `WORD_CLASSES`)."""

    month: dict[Str, Int] = {}
    month_abbreviation: dict[Str, Int] = {}
    weekday: dict[Str, Int] = {}
    dayrel: dict[Str, Int] = {}
    part: dict[Str, Str] = {}
    clock_word: dict[Str, Str] = {}
    meridiem: dict[Str, Str] = {}
    shift: dict[Str, Int] = {}
    this: dict[Str, Int] = {}
    unit: dict[Str, Str] = {}
    edge: dict[Str, Str] = {}
    season: dict[Str, Str] = {}
    number: dict[Str, Int] = {}
    vague_number: dict[Str, Str] = {}
    ordinal: dict[Str, Int] = {}
    dir_before: dict[Str, Int] = {}
    dir_after: dict[Str, Int] = {}
    approx: dict[Str, Bool] = {}
    every: dict[Str, Bool] = {}
    ref: dict[Str, Str] = {}


class Times(Schema):
    """`times.toml`, read by times/grammar.py `grammar_for`."""

    words: TimesWords = TimesWords()
    case_sensitive: Words = []
    patterns: dict[Str, Str] = {}  # class -> regex
    templates: dict[Str, Str] = {}  # name -> template
    future_cues: Words = []
    number_blockers_before: Words = []
    number_blockers_after: Words = []
    age_before: Words = []  # regexes
    age_after: Words = []  # regexes
    bounds_before: Words = []
    bounds_after: Words = []
    of_words: Words = []
    anniversaries: Words = []
    clause_openers: Words = []


# ---------------------------------------------------------------------------------------- translit
class Inflection(Schema):
    """`[inflection]`: how a name token's nominative is found (entities/names.py `strip_inflection`)."""

    lemmatiser: Str = ""
    suffixes: list[Rewrite] = []  # [ending, replacement]
    min_stem: Int = 3


class NameRules(Schema):
    """`[names]`: articles and letter foldings of name keys (entities/names.py)."""

    leading_articles: Words = []
    glued_articles: Words = []
    fold: dict[Str, Str] = {}


class Skeleton(Schema):
    """`[skeleton]`: the phonetic skeleton tables (entities/translit.py `tables`)."""

    vowel_marker: Str = "A"
    max_variants: Int = 8
    abjad_articles: Words = []
    latin: dict[Str, list[Str]] = {}  # letters -> readings, "" for a letter read as nothing (vowels)
    cyrillic: dict[Str, Str] = {}
    abjad: dict[Str, list[Str]] = {}
    vowels: dict[Str, Str] = {}
    collapse: dict[Str, Str] = {}


class Translit(Schema):
    """`translit.toml`, read by entities/translit.py and entities/names.py."""

    inflection: Inflection = Inflection()
    names: NameRules = NameRules()
    romanise: dict[Str, Str] = {}  # Cyrillic letter (or apostrophe) -> Latin spelling
    skeleton: Skeleton = Skeleton()


# ---------------------------------------------------------------------------------------- registry
@dataclass(frozen=True)
class Resource:
    """The schema of a resource's files; `neutral` for `xx/` when it may or must hold more."""

    schema: type[Schema]
    neutral: type[Schema] | None = None

    def model(self, lang: str) -> type[Schema]:
        return self.neutral if lang == NEUTRAL and self.neutral is not None else self.schema


RESOURCES: dict[str, Resource] = {
    "boilerplate": Resource(Boilerplate),
    "claims": Resource(Claims),
    "dateline": Resource(Dateline),
    "entities": Resource(Entities),
    "events": Resource(Events),
    "framing": Resource(Framing, FramingNeutral),
    "numbers": Resource(Numbers),
    "quotes": Resource(Quotes),
    "roles": Resource(Roles),
    "sentences": Resource(Sentences, SentencesNeutral),
    "times": Resource(Times),
    "translit": Resource(Translit),
}


def validate(resource: str, lang: str, table: dict[str, Any]) -> None:
    """Check the table read from `<lang>/<resource>.toml`; raise `LangdataError` listing every problem."""
    where = f"langdata/{lang}/{resource}.toml"
    spec = RESOURCES.get(resource)
    if spec is None:
        raise LangdataError(
            f"{where}: no schema for the resource {resource!r}; known: {sorted(RESOURCES)}. "
            f"Declare one in {SCHEMA_FILE} (RESOURCES) before shipping the file."
        )
    model = spec.model(lang)
    try:
        model.model_validate(table)
    except ValidationError as exc:
        problems = "\n".join(f"  - {_describe(model, err)}" for err in exc.errors())
        raise LangdataError(
            f"{where} does not match its schema ({model.__name__}):\n{problems}\n"
            f"Fix the file; for a new key, declare it on the model named above in {SCHEMA_FILE} "
            "and read it in the code that owns the resource."
        ) from None


def _describe(model: type[Schema], err: Any) -> str:
    """One problem as `key.path: what is wrong`, with the keys allowed there for an unknown key."""
    loc = tuple(err["loc"])
    path = key_path(loc)
    if err["type"] == "extra_forbidden":
        owner = _model_at(model, loc[:-1])
        known = ", ".join(sorted(file_keys(owner))) if owner else "(none)"
        return f"{path}: unknown key; known keys here ({owner.__name__ if owner else '?'}): {known}"
    if err["type"] == "missing":
        return f"{path}: missing (this file must give it)"
    value = err.get("input")
    return f"{path}: {_expected(err)}, got {type(value).__name__} {_short(value)}"


def key_path(loc: tuple[Any, ...]) -> str:
    """`("words", "month", "a.m.")` -> `words.month."a.m."`; list positions as `[0]`."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
            continue
        name = str(part)
        name = name if name.replace("_", "").replace("-", "").isalnum() else f'"{name}"'
        out += f".{name}" if out else name
    return out or "(top level)"


def _expected(err: Any) -> str:
    """What the schema wanted, from pydantic's message: "expected a valid string", "list should have..."."""
    msg = str(err["msg"])
    for lead in ("Input should be ", "Value should be "):
        if msg.startswith(lead):
            return "expected " + msg[len(lead) :]
    return msg[:1].lower() + msg[1:]


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _model_at(model: type[Schema], loc: tuple[Any, ...]) -> type[BaseModel] | None:
    """The model that describes the table at `loc` (a key path into the file); None when none does."""
    current: Any = model
    for part in loc:
        current = _unwrap(current)
        if isinstance(current, type) and issubclass(current, BaseModel):
            field = file_keys(current).get(str(part))
            if field is None:
                return None
            current = field.annotation
        elif get_origin(current) in (list, dict):
            current = get_args(current)[-1]  # a list item or a table value, whatever the index or key
        else:
            return None
    current = _unwrap(current)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def file_keys(model: type[BaseModel]) -> dict[str, FieldInfo]:
    """A model's fields by the key a file writes (the alias where a key is a Python word: "and")."""
    return {field.alias or name: field for name, field in model.model_fields.items()}


def _unwrap(annotation: Any) -> Any:
    """`Annotated[X, ...]` -> X."""
    while get_origin(annotation) is Annotated:
        annotation = get_args(annotation)[0]
    return annotation
