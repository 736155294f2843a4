"""Countries the vendors come from: language, currency, legal forms, real cities with their postcodes,
street names and how an address is written there."""

from __future__ import annotations

import random
from dataclasses import dataclass

EU = frozenset({"DE", "AT", "NL", "FR", "IT", "ES", "BE", "SE", "DK", "IE", "LU"})


@dataclass(frozen=True)
class Country:
    code: str
    name: str
    language: str  # invoice language: en de fr es nl it
    currency: str
    legal_forms: tuple[str, ...]
    cities: tuple[tuple[str, str], ...]  # (city, postcode)
    streets: tuple[str, ...]
    number_first: bool  # "12 High Street" vs "Hauptstraße 12"
    tld: str
    phone_prefix: str
    weight: float  # share of vendors


COUNTRIES: dict[str, Country] = {c.code: c for c in (
    Country("DE", "Deutschland", "de", "EUR", ("GmbH", "GmbH", "GmbH", "AG", "GmbH & Co. KG", "e.K."),
            (("Köln", "50667"), ("Hamburg", "20095"), ("München", "80331"), ("Berlin", "10115"),
             ("Frankfurt am Main", "60311"), ("Stuttgart", "70173"), ("Düsseldorf", "40213"),
             ("Leipzig", "04109"), ("Hannover", "30159"), ("Nürnberg", "90402"), ("Bremen", "28195"),
             ("Tuttlingen", "78532"), ("Melsungen", "34212"), ("Bonn", "53111"), ("Mannheim", "68159")),
            ("Hauptstraße", "Industriestraße", "Bahnhofstraße", "Gewerbepark", "Am Medienhafen",
             "Carl-Zeiss-Ring", "Robert-Bosch-Straße", "Lindenallee", "Siemensstraße", "Im Technologiepark"),
            False, "de", "+49", 0.38),
    Country("AT", "Österreich", "de", "EUR", ("GmbH", "GmbH", "AG", "KG"),
            (("Wien", "1030"), ("Graz", "8010"), ("Linz", "4020"), ("Salzburg", "5020"), ("Innsbruck", "6020")),
            ("Wiener Straße", "Industriezeile", "Gewerbestraße", "Mariahilfer Straße", "Landstraßer Hauptstraße"),
            False, "at", "+43", 0.05),
    Country("CH", "Schweiz", "de", "EUR", ("AG", "GmbH", "SA"),
            (("Zürich", "8005"), ("Basel", "4051"), ("Bern", "3011"), ("Zug", "6300"), ("Luzern", "6003")),
            ("Bahnhofstrasse", "Industriestrasse", "Seestrasse", "Baarerstrasse", "Hardturmstrasse"),
            False, "ch", "+41", 0.03),
    Country("NL", "Nederland", "nl", "EUR", ("B.V.", "B.V.", "N.V."),
            (("Amsterdam", "1012 AB"), ("Rotterdam", "3011 AD"), ("Utrecht", "3511 LX"), ("Eindhoven", "5611 AZ"),
             ("Leiden", "2311 EZ"), ("Nijmegen", "6511 PP")),
            ("Keizersgracht", "Stationsplein", "Industrieweg", "Kanaalweg", "Laan van Vollenhove"),
            False, "nl", "+31", 0.07),
    Country("BE", "Belgique", "nl", "EUR", ("NV", "BV", "SRL"),
            (("Antwerpen", "2000"), ("Gent", "9000"), ("Leuven", "3000"), ("Mechelen", "2800")),
            ("Nijverheidsstraat", "Meir", "Kouter", "Brusselsesteenweg"),
            False, "be", "+32", 0.03),
    Country("FR", "France", "fr", "EUR", ("SAS", "SARL", "S.A."),
            (("Paris", "75011"), ("Lyon", "69003"), ("Marseille", "13002"), ("Toulouse", "31000"),
             ("Lille", "59000"), ("Strasbourg", "67000"), ("Nantes", "44000")),
            ("rue de la République", "avenue Jean Jaurès", "boulevard Haussmann", "rue du Commerce",
             "allée des Tilleuls", "rue Pasteur"),
            True, "fr", "+33", 0.08),
    Country("IT", "Italia", "it", "EUR", ("S.p.A.", "S.r.l.", "S.r.l."),
            (("Milano", "20121"), ("Bologna", "40121"), ("Torino", "10121"), ("Firenze", "50123"),
             ("Padova", "35121"), ("Verona", "37121")),
            ("Via Roma", "Via Garibaldi", "Corso Venezia", "Viale Europa", "Via dell'Industria"),
            False, "it", "+39", 0.06),
    Country("ES", "España", "es", "EUR", ("S.L.", "S.L.", "S.A."),
            (("Madrid", "28001"), ("Barcelona", "08008"), ("Valencia", "46002"), ("Sevilla", "41001"),
             ("Zaragoza", "50001")),
            ("Calle Mayor", "Avenida de la Constitución", "Calle de Alcalá", "Paseo de Gracia", "Calle Industria"),
            False, "es", "+34", 0.05),
    Country("GB", "United Kingdom", "en", "GBP", ("Ltd", "Ltd", "Limited", "PLC", "LLP"),
            (("London", "EC1V 9HX"), ("Manchester", "M1 4BT"), ("Leeds", "LS1 4DY"), ("Bristol", "BS1 6QH"),
             ("Cambridge", "CB4 0WS"), ("Oxford", "OX4 2JZ"), ("Birmingham", "B3 2JR")),
            ("High Street", "Station Road", "Church Lane", "Science Park", "Kingsway", "Victoria Road"),
            True, "co.uk", "+44", 0.10),
    Country("IE", "Ireland", "en", "EUR", ("Ltd", "DAC", "Limited"),
            (("Dublin 2", "D02 X285"), ("Cork", "T12 W8YH"), ("Galway", "H91 E2K3")),
            ("Grand Canal Street", "Harcourt Road", "Mahon Industrial Estate"),
            True, "ie", "+353", 0.02),
    Country("US", "United States", "en", "USD", ("Inc.", "Inc.", "LLC", "Corp."),
            (("Boston, MA", "02110"), ("Chicago, IL", "60606"), ("Minneapolis, MN", "55401"),
             ("San Diego, CA", "92121"), ("Raleigh, NC", "27601"), ("Houston, TX", "77002")),
            ("Main Street", "Commerce Drive", "Technology Parkway", "Market Street", "Industrial Blvd"),
            True, "com", "+1", 0.07),
    Country("SE", "Sverige", "en", "EUR", ("AB",),
            (("Stockholm", "111 22"), ("Göteborg", "411 05"), ("Uppsala", "753 20")),
            ("Kungsgatan", "Drottninggatan", "Industrivägen"),
            False, "se", "+46", 0.03),
    Country("DK", "Danmark", "en", "EUR", ("A/S", "ApS"),
            (("København", "2100"), ("Aarhus", "8000"), ("Odense", "5000")),
            ("Strandvejen", "Vesterbrogade", "Industrivej"),
            False, "dk", "+45", 0.02),
    Country("LU", "Luxembourg", "fr", "EUR", ("S.A.", "S.à r.l."),
            (("Luxembourg", "L-1611"), ("Esch-sur-Alzette", "L-4010")),
            ("boulevard Royal", "rue de Hollerich"),
            True, "lu", "+352", 0.01),
)}


def street_line(country: Country, rng: random.Random) -> str:
    street = rng.choice(country.streets)
    number = str(rng.randint(1, 180))
    if country.code == "DE" and rng.random() < 0.15:
        number += rng.choice("abc")
    return f"{number} {street}" if country.number_first else f"{street} {number}"


def phone(country: Country, rng: random.Random) -> str:
    if country.code == "US":
        return f"+1 ({rng.randint(201, 989)}) {rng.randint(200, 999)}-{rng.randint(1000, 9999)}"
    area = rng.randint(20, 899)
    return f"{country.phone_prefix} {area} {rng.randint(100000, 9999999)}"


def pick_country(rng: random.Random) -> Country:
    codes = list(COUNTRIES)
    return COUNTRIES[rng.choices(codes, weights=[COUNTRIES[c].weight for c in codes])[0]]
