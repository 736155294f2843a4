"""Vendors: invented but plausible companies with valid VAT ids and IBANs, each with its own style of
invoice numbering, and its ERP record (``res.partner`` and its bank accounts).

Brand names are invented from syllables and kept apart from each other (no two brands closer than a
fuzzy ratio of 80), so a vendor named on an invoice without a tax id or IBAN is still one vendor, not
two: ambiguity is something the scenarios create on purpose, never by accident.
"""

from __future__ import annotations

import random
import unicodedata
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal

from rapidfuzz import fuzz, process

from synth.identity import bank_account, random_digits, vat_id
from synth.world.catalogue import CATEGORIES, CATEGORY_WEIGHTS, DENTAL, FACILITY, IT, LAB, MEDICAL, PHARMA
from synth.world.places import COUNTRIES, Country, phone, pick_country, street_line
from synth.world.profiles import VendorProfile
from synth.world.records import Partner, PartnerBank
from synth.world.store import World

_START = ("Ver", "Nor", "Kal", "Ast", "Cor", "Lum", "Sol", "Tri", "Bel", "Cav", "Dor", "Eri", "Fal", "Gal",
          "Hel", "Iv", "Jun", "Ker", "Lor", "Mar", "Nex", "Ori", "Pal", "Quin", "Rav", "Sen", "Tor", "Ul",
          "Val", "Wen", "Zel", "Am", "Bri", "Cel", "Dan", "Em", "Fen", "Gry", "Hal", "Is", "Kin", "Lys")
_MIDDLE = ("a", "i", "o", "e", "an", "en", "ar", "el", "is", "or", "u", "")
_END = ("lis", "via", "ron", "dex", "max", "tek", "med", "gen", "cor", "tis", "nova", "lux", "mar", "vis",
        "ta", "ra", "lon", "bia", "nix", "sys", "dal", "ford", "heim", "ton", "ell", "ium")
_SURNAMES = {
    "de": ("Hoffmann", "Brenner", "Kessler", "Lindner", "Vogt", "Hartmann", "Seidel", "Engel", "Pohl", "Wendt"),
    "fr": ("Moreau", "Lefèvre", "Girard", "Bonnet", "Faure", "Mercier", "Chevalier"),
    "it": ("Ferrari", "Colombo", "Galli", "Conti", "Marchetti", "Barbieri"),
    "es": ("Navarro", "Ortega", "Delgado", "Castillo", "Romero"),
    "nl": ("de Vries", "Bakker", "Visser", "Smit", "Mulder", "van Dijk"),
    "en": ("Harrington", "Whitfield", "Ashworth", "Pemberton", "Caldwell", "Thornton", "Holloway"),
}
_FIRST = {
    "de": ("Anna", "Thomas", "Julia", "Michael", "Katrin", "Stefan", "Sabine", "Jörg"),
    "fr": ("Claire", "Julien", "Sophie", "Nicolas", "Camille"),
    "it": ("Giulia", "Marco", "Francesca", "Luca"),
    "es": ("Lucía", "Javier", "Marta", "Pablo"),
    "nl": ("Sanne", "Daan", "Lotte", "Bram"),
    "en": ("Emma", "James", "Olivia", "Daniel", "Charlotte", "Robert"),
}
_DESCRIPTORS: dict[str, dict[str, tuple[str, ...]]] = {
    MEDICAL: {"en": ("Medical", "Healthcare", "Medical Supplies", "Surgical"),
              "de": ("Medizintechnik", "Medizinbedarf", "Klinikbedarf", "Medical"),
              "fr": ("Médical", "Santé"), "it": ("Medicale", "Forniture Ospedaliere"),
              "es": ("Médica", "Suministros Médicos"), "nl": ("Medical", "Zorgproducten")},
    PHARMA: {"en": ("Pharma", "Pharmaceuticals"), "de": ("Pharma", "Arzneimittel"), "fr": ("Pharma",),
             "it": ("Farmaceutici",), "es": ("Farma",), "nl": ("Pharma",)},
    LAB: {"en": ("Diagnostics", "Laboratory Supplies", "Life Sciences"),
          "de": ("Labortechnik", "Diagnostika", "Laborbedarf"), "fr": ("Diagnostics",),
          "it": ("Diagnostica",), "es": ("Diagnóstica",), "nl": ("Diagnostics", "Labservice")},
    DENTAL: {"en": ("Dental",), "de": ("Dental", "Dentalbedarf"), "fr": ("Dentaire",), "it": ("Dentale",),
             "es": ("Dental",), "nl": ("Dental",)},
    FACILITY: {"en": ("Facility Services", "Cleaning Services", "Property Services"),
               "de": ("Gebäudeservice", "Facility Management", "Gebäudereinigung"),
               "fr": ("Services", "Propreté"), "it": ("Servizi",), "es": ("Servicios",),
               "nl": ("Facilitair", "Schoonmaak")},
    IT: {"en": ("IT Solutions", "Systems", "Technologies"), "de": ("IT-Systemhaus", "Informationstechnik", "IT"),
         "fr": ("Informatique",), "it": ("Informatica",), "es": ("Sistemas",), "nl": ("ICT", "IT Services")},
}
_BILLING_LOCAL = {"de": ("rechnung", "buchhaltung", "rechnungswesen", "invoice"),
                  "fr": ("facturation", "comptabilite"), "it": ("fatture", "amministrazione"),
                  "es": ("facturas", "facturacion"), "nl": ("facturen", "administratie"),
                  "en": ("invoices", "accounts", "billing", "ar")}
# Invoice numbering schemes seen on real invoices; {n} is the running number, {year} the invoice's year.
_NUMBERING = {
    "de": ("RE-{year}-{n:05d}", "{year}{n:06d}", "R{n:07d}", "RG {year}/{n:04d}", "{n:06d}"),
    "fr": ("F{year}-{n:05d}", "FA{yy}/{n:05d}", "FAC-{n:06d}", "{year}{n:05d}"),
    "it": ("{n}/{year}", "FT {n:05d}/{yy}", "{year}/{n:05d}"),
    "es": ("F{year}/{n:05d}", "FAC-{yy}-{n:05d}", "A-{n:06d}"),
    "nl": ("F{year}{n:05d}", "{year}-{n:05d}", "INV{n:07d}"),
    "en": ("INV-{n:06d}", "SI-{n:06d}", "{n:07d}", "INV/{year}/{n:05d}", "IN{n:06d}"),
}


def invent_brand(rng: random.Random, taken: list[str], language: str) -> str:
    for attempt in range(200):
        if rng.random() < 0.12:
            brand = rng.choice(_SURNAMES[language if language in _SURNAMES else "en"])
        else:
            brand = rng.choice(_START) + rng.choice(_MIDDLE) + rng.choice(_END)
        key = _plain(brand)
        # Large worlds run out of room far apart; below 80 the names stay distinct enough to read.
        cutoff = 80 if attempt < 120 else 90
        if key in taken:
            continue
        if taken and process.extractOne(key, taken, scorer=fuzz.ratio, score_cutoff=cutoff):
            continue
        taken.append(key)
        return brand
    raise RuntimeError("ran out of distinct vendor names; lower --vendors")


def _plain(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text.lower()) if c.isalnum())


def _register(country: Country, city: str, rng: random.Random) -> str | None:
    n = rng.randint(10000, 199999)
    return {
        "DE": f"Amtsgericht {city.split(' ', maxsplit=1)[0]} HRB {n}",
        "AT": f"FN {n}{rng.choice('abdfgimpstvwxyz')}, Handelsgericht Wien",
        "CH": f"Handelsregister des Kantons {city}",
        "FR": f"RCS {city} {random_digits(rng, 3, True)} {random_digits(rng, 3)} {random_digits(rng, 3)}",
        "IT": f"REA {city[:2].upper()}-{n} - Cap. soc. € {rng.choice(('10.000', '50.000', '100.000'))},00 i.v.",
        "ES": f"Registro Mercantil de {city}, Tomo {rng.randint(1000, 40000)}, Hoja {rng.randint(10000, 99999)}",
        "NL": f"KvK {random_digits(rng, 8, True)}",
        "BE": f"RPR {city}",
        "GB": f"Registered in England and Wales No. {random_digits(rng, 8)}",
        "IE": f"Registered in Ireland No. {random_digits(rng, 6, True)}",
        "SE": f"Org.nr {random_digits(rng, 6, True)}-{random_digits(rng, 4)}",
        "DK": f"CVR {random_digits(rng, 8, True)}",
        "LU": f"RCS Luxembourg B{n}",
    }.get(country.code)


def _managers(language: str, rng: random.Random) -> str | None:
    names = [f"{rng.choice(_FIRST[language])} {rng.choice(_SURNAMES[language])}" for _ in range(rng.randint(1, 2))]
    title = {"de": "Geschäftsführer", "en": "Directors", "fr": "Président", "it": "Amministratore",
             "es": "Administrador", "nl": "Directie"}[language]
    return f"{title}: {', '.join(names)}"


def make_profile(key: int, rng: random.Random, taken: list[str], category: str | None = None,
                 country: Country | None = None) -> VendorProfile:
    country = country or pick_country(rng)
    language = country.language
    category = category or rng.choices(CATEGORIES, weights=CATEGORY_WEIGHTS)[0]
    brand = invent_brand(rng, taken, language)
    descriptor = rng.choice(_DESCRIPTORS[category][language])
    legal_form = rng.choice(country.legal_forms)
    name = f"{brand} {descriptor} {legal_form}"
    if country.code == "FR" and category == PHARMA and rng.random() < 0.5:
        name = f"Laboratoires {brand} {legal_form}"
    city, zip_code = rng.choice(country.cities)
    domain = f"{_plain(brand)}-{_plain(descriptor.split()[0])}.{country.tld}" if rng.random() < 0.5 \
        else f"{_plain(brand)}.{country.tld}"
    accounts = [bank_account(country.code, rng)]
    if rng.random() < 0.2:
        accounts.append(bank_account(country.code, rng))
    numbering_choices = _NUMBERING[language]
    return VendorProfile(
        key=key, name=name, brand=brand, legal_form=legal_form, country=country.code, language=language,
        currency=country.currency, category=category, street=street_line(country, rng), city=city, zip=zip_code,
        email=f"{rng.choice(_BILLING_LOCAL[language])}@{domain}", domain=domain, phone=phone(country, rng),
        website=f"www.{domain}", vat=vat_id(country.code, rng),
        tax_number=f"{random_digits(rng, 2, True)}-{random_digits(rng, 7)}" if country.code == "US" else None,
        register=_register(country, city, rng),
        managers=_managers(language, rng) if country.code in {"DE", "AT", "GB", "FR", "IT", "ES", "NL"} else None,
        accounts=accounts, numbering=rng.choice(numbering_choices), number_start=rng.randint(1200, 48000),
        einvoice="facturx" if country.code in {"DE", "AT", "CH", "FR", "LU"} else "ubl",
        payment_days=rng.choice((14, 30, 30, 30, 45, 60)), customer_number=random_digits(rng, rng.choice((5, 6)), True),
    )


def register_vendor(world: World, profile: VendorProfile, rng: random.Random) -> Partner:
    """Create the vendor's ERP record and bank accounts."""
    stamp = datetime.combine(world.today - timedelta(days=rng.randint(30, 900)), time(rng.randint(7, 18)),
                             tzinfo=UTC)
    partner = Partner(
        id=profile.key, name=profile.name, vat=profile.vat, email=profile.email, phone=profile.phone,
        website=f"https://{profile.website}", street=profile.street, city=profile.city, zip=profile.zip,
        country_code=profile.country, is_company=True, supplier_rank=_supplier_rank(rng),
        company_id=None, ref=f"K{profile.key:05d}", x_category=profile.category, x_invoice_limit=None,
        write_date=stamp)
    world.partners.append(partner)
    for account in profile.accounts:
        add_bank(world, partner.id, account.acc_number, account.bic, account.bank_name)
    world.profiles[partner.id] = profile
    return partner


def unlike_any(name: str, known: list[str], limit: float = 70) -> bool:
    """True when ``name`` resembles none of ``known`` (all normalised alike) by the usual fuzzy scorers:
    a vendor meant to be unknown must not look like a known one with a typo."""
    key = plain_name(name)
    for scorer in (fuzz.WRatio, fuzz.token_set_ratio):
        if known and process.extractOne(key, known, scorer=scorer, score_cutoff=limit):
            return False
    return True


def plain_name(name: str) -> str:
    """Lower case, no accents or punctuation, no legal form: how name matching compares vendors."""
    words = unicodedata.normalize("NFKD", name.lower()).encode("ascii", "ignore").decode().replace(".", "").split()
    forms = {plain.lower().replace(".", "") for country in COUNTRIES.values() for plain in country.legal_forms}
    return " ".join(w for w in words if w not in forms and w not in {"&", "co", "kg"})


def _supplier_rank(rng: random.Random) -> int:
    # As unreliable as in Odoo: some vendors with orders and bills have a rank of 0.
    return 0 if rng.random() < 0.08 else rng.randint(1, 40)


def add_bank(world: World, partner_id: int, acc_number: str, bic: str, bank_name: str) -> PartnerBank:
    bank = PartnerBank(world.next_id("res.partner.bank"), partner_id, acc_number, bic, bank_name, True)
    world.banks.append(bank)
    return bank


# The first vendors of every world, so that even a small one has what each scenario needs (German
# vendors with two VAT rates, cheap consumables, services, several currencies).
CORE = (("DE", MEDICAL), ("DE", FACILITY), ("DE", IT), ("DE", LAB), ("GB", MEDICAL), ("US", IT), ("FR", PHARMA),
        ("NL", DENTAL), ("IT", MEDICAL), ("ES", LAB), ("AT", DENTAL), ("DE", PHARMA))


def build_vendors(world: World, count: int, rng: random.Random, taken: list[str]) -> list[Partner]:
    partners = []
    for index in range(count):
        key = world.next_id("res.partner")
        country, category = (COUNTRIES[CORE[index][0]], CORE[index][1]) if index < len(CORE) else (None, None)
        partners.append(register_vendor(world, make_profile(key, rng, taken, category, country), rng))
    return partners


def set_invoice_limit(partner: Partner, limit: Decimal) -> None:
    partner.x_invoice_limit = limit


def lookup_country(code: str) -> Country:
    return COUNTRIES[code]
