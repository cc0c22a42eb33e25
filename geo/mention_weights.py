"""The weights and thresholds of the place-mention recogniser, named in one place.

:class:`MentionWeights` holds every number :mod:`geo.mentions` scores with; each field
says why it has its value.  :data:`WEIGHTS` is the default the recogniser uses.
Distances are great-circle km between unit seats; scores are unitless.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["MentionWeights", "WEIGHTS"]


@dataclass(frozen=True, slots=True)
class MentionWeights:
    """Scoring weights and thresholds of :class:`geo.mentions.Recogniser`.

    Examples
    --------
    >>> WEIGHTS.county_reach_km < WEIGHTS.city_reach_km < WEIGHTS.route_end_reach_km
    True
    """

    # ---- context -------------------------------------------------------------
    #: Characters either side of a span that count as "nearby" (about a paragraph).
    window: int = 400
    #: Longest gap between two names of a pair or list (监利至华容, 石首、公安).
    partner_gap: int = 3

    # ---- a county's short name or a shared name, read from its context ------------
    #: A county's partner in a pair lies within this of it (neighbouring counties).
    county_reach_km: float = 150.0
    #: A city's partner in a pair lies within this of it (cities of one region).
    city_reach_km: float = 400.0
    #: The two ends of a route (合肥至新沂) may lie this far apart.
    route_end_reach_km: float = 800.0
    #: Counties named in one sentence within this of each other support each other
    #: (随县……枣阳): about the distance between neighbouring county seats.
    sentence_neighbour_km: float = 80.0
    #: A rare name with no other evidence counts only with a place of its sentence
    #: this close (a province-sized radius).
    rare_name_reach_km: float = 300.0
    #: A street named after a place (中山大道, 北京路) names it only when a place of its
    #: sentence (else of its text) lies this close or in its province: 中山大道 in a
    #: report of 驻马店 is a street, 襄阳大道 in a plan of 襄阳 is 襄阳's.
    street_reach_km: float = 300.0
    #: An everyday-word name (来宾, 光明) is read as a place with this many of its siblings
    #: in its sentence (桂林、玉林……来宾): a list of places, not prose.
    kin_siblings: int = 2
    #: A county's short name written this often in one text that also writes its full
    #: name and names its prefecture is the text's own subject (盐田 in a report of 深圳's
    #: 盐田区), not a word that happens to spell a name once (复杂多变 holding 杂多).
    subject_mentions: int = 3
    #: Base score of a candidate with strong evidence (its parent right before it, a
    #: partner in a pair): beats any weakly supported one.
    strong_score: float = 3.0
    #: Base score of a candidate with weak evidence (a relative in the sentence).
    weak_score: float = 1.0
    #: Km of distance to the context that cost one point of score: same-named units
    #: are told apart by distance (华容县 next to 监利, not 华容区), and 500 km is the
    #: scale of one region.
    distance_per_point_km: float = 500.0

    # ---- anchors ---------------------------------------------------------------
    #: A county's full name this long is distinctive alone (沅陵县, 黄石港区).
    anchor_name_length: int = 4
    #: A county name (full, not ending in 区; or short) this long is distinctive alone
    #: (邓州市, 老河口); a shorter district name (江汉区) needs its city nearby.
    anchor_short_length: int = 3

    # ---- institutions --------------------------------------------------------------
    #: A place before 大学/学院 this far from every other place nearby names a school
    #: elsewhere (中山大学 in a plan about 襄阳), not a place of the plan.
    institution_far_km: float = 800.0

    # ---- one-character abbreviations: priors of a character's readings ----------------
    #: A province 简称 (鄂, 湘): the official one-character name, so the strongest.
    prior_province: float = 1.2
    #: A conventional city name (汉 for 武汉, 蓉 for 成都).
    prior_conventional: float = 1.0
    #: The first character of a city's short name (襄 of 襄阳).
    prior_first: float = 0.8
    #: The second character of a city's short name (州 of 鄂州): weak, and only used
    #: when the city is named in the sentence.
    prior_second: float = 0.3
    #: The first character of a county (鹤 of 鹤城区), indexed for every county.
    prior_county: float = 0.45
    #: A county of a place in context (中 of 中方县 in a text on 怀化).
    prior_county_in_context: float = 0.75
    #: A county of a province the text is about (蔚 of 蔚县 in 京蔚高速, in a text on
    #: 河北): at the minimum, below every city's reading.
    prior_county_in_region: float = 0.5
    #: Added to a city of a province the text is about: the document's own region comes
    #: first (渝宜 in a text on 重庆 and 湖北).
    region_bonus: float = 0.25
    #: An intrinsic score at least this means the reading is beyond doubt (a 简称, a
    #: conventional name or a capital): long routes (渝昆) are read only between such.
    beyond_doubt: float = 1.0
    #: Added on a route to a provincial capital: trunk routes join capitals (贵广 is
    #: 贵阳—广州, not 贵港; 石武 is 石家庄—武汉, not 石嘴山—武威).
    capital_route_bonus: float = 0.2
    #: Added when the unit is named in the same sentence.
    in_sentence_bonus: float = 1.5
    #: Added when a city is named nearby (a county must be named in the sentence).
    nearby_bonus: float = 0.4
    #: Readings kept per character: bounds the combinations tried (6^n).
    options_per_char: int = 6
    #: A combination with a character read below this is not tried.
    min_char_score: float = 0.5
    #: Km of mean distance between the units of a compound that cost one point: places
    #: of one compound are close together (襄十随神 ~200 km apart).
    compact_per_point_km: float = 1500.0
    #: Km of mean distance between a route's consecutive stops that cost one point:
    #: trunk lines run far (贵阳—广州 ~700 km), so length costs half a cluster's spread.
    route_compact_per_point_km: float = 3000.0
    #: Cost of mixing provinces and cities in one compound (湘赣 is two provinces).
    mixed_levels_penalty: float = 0.3
    #: A two-character run in quotes with no route word or context needs this score.
    quoted_pair_min_score: float = 0.6
    #: A two-character run with no quotes, route word or context needs this score.
    bare_pair_min_score: float = 0.9

    # ---- compound spread -----------------------------------------------------------
    #: Cities of one compound lie within this of each other (a metropolitan region).
    max_spread_km: float = 450.0
    #: Provinces of one compound lie within this of each other (湘鄂渝黔 neighbours).
    max_spread_provinces_km: float = 1100.0
    #: A long route (渝昆) between places beyond doubt may span this much.
    max_spread_route_km: float = 1200.0
    #: A corridor of three or more cities (哈长沈大: 哈尔滨, 长春, 沈阳, 大连) may run beyond
    #: a cluster's spread when each city is this close to the next: neighbours along a
    #: trunk line, about a city's reach apart.
    chain_step_km: float = 400.0
    #: A run longer than this is not a compound (the longest seen: 湘鄂渝黔桂, 汉孝随襄十).
    max_compound_length: int = 6
    #: This many province 简称 in a row are a compound without a cue (鄂豫皖); fewer (湘赣)
    #: could be a word and need one.
    min_province_run: int = 3
    #: A quoted compound closes within this many characters of its opening quote.
    max_quote_span: int = 8


#: The weights the recogniser uses unless given others.
WEIGHTS = MentionWeights()
