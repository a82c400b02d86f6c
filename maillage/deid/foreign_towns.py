"""Towns abroad that French clinical letters name: near the borders, and big cities.

Lorraine and Alsace send about 200,000 cross-border workers to Luxembourg, Saarland,
Baden-Württemberg and Switzerland; the Pays de Gex and the Genevois to Geneva; the Nord
to Belgium. Patients also come from, or have family in, big cities abroad. Such a town
next to a patient is where they work or live, so it is an address, but only after a
location cue ("à Bâle", "habite Arlon", "depuis Sarrebruck"): "Bâle" or "Genève" alone
may head a convention, a treaty or a hospital's name ("HUG", "Hôpitaux universitaires de
Genève" stay care sites). Countries are no address (HIPAA keeps them).

French and local spellings both, as letters write either. Names that are also French
communes ("Saint-Louis", "Comines") are the gazetteer's already. Hand-made list, ours.
"""

from __future__ import annotations

from typing import Final

__all__ = ["COUNTRIES", "COUNTRIES_AND_REGIONS", "COUNTRY_ENDONYMS", "FOREIGN_TOWNS"]

FOREIGN_TOWNS: Final = frozenset(
    {
        # Luxembourg
        "Luxembourg-Ville", "Esch-sur-Alzette", "Esch", "Differdange", "Dudelange",
        "Pétange", "Rodange", "Bettembourg", "Schifflange", "Kayl", "Rumelange",
        "Mondorf-les-Bains", "Remich", "Grevenmacher", "Echternach", "Wiltz", "Ettelbruck",
        "Diekirch", "Strassen", "Bertrange", "Mamer", "Capellen", "Steinfort", "Bascharage",
        "Käerjeng", "Sanem", "Mersch", "Hesperange", "Howald", "Leudelange", "Walferdange",
        "Junglinster", "Contern", "Niederanven", "Munsbach", "Foetz", "Belval",
        # Saarland, Rhineland-Palatinate
        "Sarrebruck", "Saarbrücken", "Sarrelouis", "Saarlouis", "Völklingen", "Hombourg",
        "Homburg", "Neunkirchen", "Merzig", "Dillingen", "Perl", "Mettlach", "Saint-Ingbert",
        "Sankt Ingbert", "St. Ingbert", "Deux-Ponts", "Zweibrücken", "Pirmasens",
        "Kaiserslautern", "Trèves", "Trier", "Blieskastel", "Kleinblittersdorf",
        "Bad Bergzabern", "Landau", "Germersheim", "Wörth am Rhein", "Ludwigshafen",
        "Mannheim", "Mayence", "Mainz", "Coblence", "Koblenz",
        # Baden-Württemberg and beyond
        "Kehl", "Offenbourg", "Offenburg", "Fribourg-en-Brisgau", "Freiburg", "Karlsruhe",
        "Baden-Baden", "Rastatt", "Bühl", "Achern", "Lahr", "Lörrach", "Weil am Rhein",
        "Neuenburg am Rhein", "Müllheim", "Brisach", "Breisach", "Vieux-Brisach", "Emmendingen",
        "Waldshut", "Bad Säckingen", "Stuttgart", "Heidelberg", "Pforzheim", "Francfort",
        "Frankfurt", "Cologne", "Köln", "Aix-la-Chapelle", "Aachen", "Düsseldorf", "Munich",
        "München", "Berlin", "Hambourg", "Hamburg",
        # Switzerland
        "Bâle", "Basel", "Riehen", "Allschwil", "Binningen", "Muttenz", "Pratteln", "Liestal",
        "Birsfelden", "Reinach", "Arlesheim", "Porrentruy", "Delémont", "Boncourt",
        "La Chaux-de-Fonds", "Le Locle", "Neuchâtel", "Genève", "Geneva", "Carouge", "Meyrin",
        "Vernier", "Lancy", "Grand-Lancy", "Onex", "Thônex", "Chêne-Bourg", "Plan-les-Ouates",
        "Versoix", "Nyon", "Gland", "Rolle", "Morges", "Lausanne", "Renens", "Vevey",
        "Montreux", "Yverdon-les-Bains", "Vallorbe", "Le Sentier", "Sion", "Martigny",
        "Monthey", "Saint-Maurice", "Fribourg", "Bienne", "Berne", "Bern", "Zurich", "Zürich",
        "Lucerne", "Lugano", "Bellinzone", "Schaffhouse",
        # Belgium
        "Arlon", "Aubange", "Athus", "Messancy", "Virton", "Bastogne", "Neufchâteau",
        "Bouillon", "Dinant", "Namur", "Charleroi", "Mons", "Tournai", "Mouscron", "Courtrai",
        "Kortrijk", "Ypres", "Ieper", "Menin", "Menen", "Poperinge", "Ostende", "Bruges",
        "Gand", "Gent", "Anvers", "Antwerpen", "Bruxelles", "Brussel", "Louvain", "Leuven",
        "Liège", "Verviers", "Chimay", "Couvin", "Philippeville", "Beauraing", "Wavre",
        "La Louvière", "Spa",
        # Italy, Monaco, Spain, Andorra
        "Vintimille", "Ventimiglia", "Sanremo", "San Remo", "Bordighera", "Coni", "Cuneo",
        "Turin", "Torino", "Aoste", "Aosta", "Suse", "Gênes", "Genova", "Milan", "Milano",
        "Rome", "Naples", "Monte-Carlo", "Irun", "Fontarrabie", "Hondarribia",
        "Saint-Sébastien", "San Sebastián", "Donostia", "Pampelune", "Pamplona", "Bilbao",
        "Figueras", "Figueres", "La Jonquera", "Puigcerdà", "Gérone", "Girona", "Barcelone",
        "Barcelona", "Madrid", "Andorre-la-Vieille", "Escaldes-Engordany", "Pas de la Case",
        # Big cities patients come from or have family in
        "Londres", "Lisbonne", "Porto", "Braga", "Coimbra", "Amsterdam", "Rotterdam",
        "Varsovie", "Cracovie", "Poznań", "Wrocław", "Bucarest", "Sofia", "Istanbul",
        "Casablanca", "Rabat", "Marrakech", "Agadir", "Fès", "Meknès", "Tanger", "Oujda",
        "Nador", "Alger", "Oran", "Constantine", "Annaba", "Tlemcen", "Sétif", "Béjaïa",
        "Tizi Ouzou", "Tunis", "Sfax", "Sousse", "Dakar", "Bamako", "Abidjan", "Kinshasa",
        "Montréal", "Québec", "New York",
    }
)  # fmt: skip

#: Every member state of the United Nations by its French name (and the usual variants),
#: with and without its article ("l'Érythrée", "la Suisse"): a country is no address
#: (HIPAA keeps the state level), even when a small French commune bears its name
#: ("Suisse", Moselle).
_UN_COUNTRIES: Final = (
        "Afghanistan", "Afrique du Sud", "Albanie", "Algérie", "Allemagne", "Andorre",
        "Angola", "Antigua-et-Barbuda", "Arabie saoudite", "Argentine", "Arménie", "Australie",
        "Autriche", "Azerbaïdjan", "Bahamas", "Bahreïn", "Bangladesh", "Barbade", "Belgique",
        "Belize", "Bénin", "Bhoutan", "Biélorussie", "Bélarus", "Birmanie", "Myanmar",
        "Bolivie", "Bosnie-Herzégovine", "Botswana", "Brésil", "Brunei", "Bulgarie",
        "Burkina Faso", "Burundi", "Cambodge", "Cameroun", "Canada", "Cap-Vert", "Cabo Verde",
        "Centrafrique", "République centrafricaine", "Chili", "Chine", "Chypre", "Colombie",
        "Comores", "Congo", "République démocratique du Congo", "RDC", "Corée du Nord",
        "Corée du Sud", "Corée", "Costa Rica", "Côte d'Ivoire", "Croatie", "Cuba", "Danemark",
        "Djibouti", "Dominique", "Égypte", "Émirats arabes unis", "Équateur", "Érythrée",
        "Espagne", "Estonie", "Eswatini", "Swaziland", "États-Unis", "Éthiopie", "Fidji",
        "Finlande", "France", "Gabon", "Gambie", "Géorgie", "Ghana", "Grèce", "Grenade",
        "Guatemala", "Guinée", "Guinée-Bissau", "Guinée équatoriale", "Guyana", "Haïti",
        "Honduras", "Hongrie", "Îles Marshall", "Îles Salomon", "Inde", "Indonésie", "Irak",
        "Iraq", "Iran", "Irlande", "Islande", "Israël", "Italie", "Jamaïque", "Japon",
        "Jordanie", "Kazakhstan", "Kenya", "Kirghizistan", "Kiribati", "Koweït", "Laos",
        "Lesotho", "Lettonie", "Liban", "Liberia", "Libéria", "Libye", "Liechtenstein",
        "Lituanie", "Luxembourg", "Macédoine du Nord", "Macédoine", "Madagascar", "Malaisie",
        "Malawi", "Maldives", "Mali", "Malte", "Maroc", "Maurice", "Île Maurice",
        "Mauritanie", "Mexique", "Micronésie", "Moldavie", "Monaco", "Mongolie",
        "Monténégro", "Mozambique", "Namibie", "Nauru", "Népal", "Nicaragua", "Niger",
        "Nigeria", "Nigéria", "Norvège", "Nouvelle-Zélande", "Oman", "Ouganda",
        "Ouzbékistan", "Pakistan", "Palaos", "Panama", "Papouasie-Nouvelle-Guinée",
        "Paraguay", "Pays-Bas", "Pérou", "Philippines", "Pologne", "Portugal", "Qatar",
        "République dominicaine", "République tchèque", "Tchéquie", "Roumanie", "Royaume-Uni",
        "Russie", "Rwanda", "Saint-Christophe-et-Niévès", "Sainte-Lucie", "Saint-Marin",
        "Saint-Vincent-et-les-Grenadines", "Salvador", "Samoa", "Sao Tomé-et-Principe",
        "Sénégal", "Serbie", "Seychelles", "Sierra Leone", "Singapour", "Slovaquie",
        "Slovénie", "Somalie", "Soudan", "Soudan du Sud", "Sri Lanka", "Suède", "Suisse",
        "Suriname", "Syrie", "Tadjikistan", "Tanzanie", "Tchad", "Thaïlande", "Timor oriental",
        "Togo", "Tonga", "Trinité-et-Tobago", "Tunisie", "Turkménistan", "Turquie", "Tuvalu",
        "Ukraine", "Uruguay", "Vanuatu", "Venezuela", "Viêt Nam", "Vietnam", "Yémen",
        "Zambie", "Zimbabwe",
        # Observer states and territories letters name as countries
        "Palestine", "Vatican", "Kosovo", "Taïwan", "Hong Kong",
)  # fmt: skip


def _with_articles(names: tuple[str, ...]) -> frozenset[str]:
    # The article is only a spelling of the same country: "Suisse", "la Suisse", "en
    # Suisse" name one place. Plural names take "les", vowels "l'".
    forms = set(names)
    for name in names:
        forms.update({f"le {name}", f"la {name}", f"les {name}", f"l'{name}"})
    return frozenset(forms)


COUNTRIES: Final = _with_articles(_UN_COUNTRIES)

#: Countries, continents and French regions as letters name them: spaCy takes them for
#: places (LOC), but a country or a region is no address (HIPAA keeps the state level).
COUNTRIES_AND_REGIONS: Final = COUNTRIES | frozenset(
    {
        "France", "Allemagne", "Belgique", "Suisse", "Luxembourg", "Italie", "Espagne",
        "Portugal", "Andorre", "Monaco", "Royaume-Uni", "Angleterre", "Écosse", "Irlande",
        "Pays-Bas", "Hollande", "Autriche", "Pologne", "Roumanie", "Bulgarie", "Grèce",
        "Turquie", "Russie", "Ukraine", "Maroc", "Algérie", "Tunisie", "Sénégal", "Mali",
        "Côte d'Ivoire", "Cameroun", "Congo", "Madagascar", "Comores", "Haïti", "Brésil",
        "Suriname", "Guyana", "Canada", "États-Unis", "USA", "Chine", "Japon", "Inde",
        "Vietnam", "Europe", "Afrique", "Amérique", "Asie", "Océanie", "Maghreb",
        "Antilles", "DOM", "DOM-TOM", "Outre-mer", "Métropole", "Hexagone", "Continent",
        "Bretagne", "Normandie", "Alsace", "Lorraine", "Provence", "Corse", "Savoie",
        "Haute-Savoie", "Bourgogne", "Auvergne", "Occitanie", "Aquitaine", "Picardie",
        "Champagne", "Ardennes", "Vosges", "Jura", "Landes", "Pyrénées", "Alpes", "Massif central",
        "Île-de-France", "Guadeloupe", "Martinique", "Guyane", "Réunion", "La Réunion",
        "Mayotte", "Polynésie", "Nouvelle-Calédonie", "Moselle", "Bas-Rhin", "Haut-Rhin",
        "Sarre", "Bade", "Bade-Wurtemberg", "Palatinat", "Wallonie", "Flandre", "Flandres",
        "Méditerranée", "Atlantique", "Manche", "Rhin", "Loire", "Seine", "Maroni", "Lawa",
        # Departments
        "Ain", "Aisne", "Allier", "Alpes-de-Haute-Provence", "Hautes-Alpes", "Alpes-Maritimes",
        "Ardèche", "Ariège", "Aube", "Aude", "Aveyron", "Bouches-du-Rhône", "Calvados",
        "Cantal", "Charente", "Charente-Maritime", "Cher", "Corrèze", "Corse-du-Sud",
        "Haute-Corse", "Côte-d'Or", "Côtes-d'Armor", "Creuse", "Dordogne", "Doubs", "Drôme",
        "Eure", "Eure-et-Loir", "Finistère", "Gard", "Haute-Garonne", "Gers", "Gironde",
        "Hérault", "Ille-et-Vilaine", "Indre", "Indre-et-Loire", "Isère", "Loir-et-Cher",
        "Haute-Loire", "Loire-Atlantique", "Loiret", "Lot", "Lot-et-Garonne", "Lozère",
        "Maine-et-Loire", "Marne", "Haute-Marne", "Mayenne", "Meurthe-et-Moselle", "Meuse",
        "Morbihan", "Nièvre", "Nord", "Oise", "Orne", "Pas-de-Calais", "Puy-de-Dôme",
        "Pyrénées-Atlantiques", "Hautes-Pyrénées", "Pyrénées-Orientales", "Rhône",
        "Haute-Saône", "Saône-et-Loire", "Sarthe", "Paris", "Seine-Maritime",
        "Seine-et-Marne", "Yvelines", "Deux-Sèvres", "Somme", "Tarn", "Tarn-et-Garonne", "Var",
        "Vaucluse", "Vendée", "Vienne", "Haute-Vienne", "Yonne", "Territoire de Belfort",
        "Essonne", "Hauts-de-Seine", "Seine-Saint-Denis", "Val-de-Marne", "Val-d'Oise",
        "Haute-Normandie", "Basse-Normandie", "Pays de la Loire", "Centre-Val de Loire",
        "Hauts-de-France", "Grand Est", "Nouvelle-Aquitaine", "Auvergne-Rhône-Alpes",
        "Provence-Alpes-Côte d'Azur", "Côte d'Azur", "Bourgogne-Franche-Comté", "Franche-Comté",
        "Midi-Pyrénées", "Languedoc", "Languedoc-Roussillon", "Roussillon", "Pays basque",
        "Béarn", "Cévennes", "Camargue", "Sologne", "Touraine", "Poitou",
    }
)  # fmt: skip


#: Countries as a foreign address writes them on its last line, in their own language or
#: in English ("22700 Jaca (Huesca), España", "00187 Roma, Italia"). Only a postal
#: address's closing line: alone, these words are no address.
COUNTRY_ENDONYMS: Final = frozenset(
    {
        "España", "Espana", "Spain", "Italia", "Italy", "Deutschland", "Germany",
        "Österreich", "Osterreich", "Austria", "Schweiz", "Svizzera", "Svizra", "Switzerland",
        "België", "Belgie", "Belgium", "Nederland", "Netherlands", "Portugal", "Polska",
        "Poland", "Türkiye", "Turkiye", "Turkey", "Morocco", "Al-Maghrib", "Algeria",
        "Al-Djazaïr", "Tunisia", "Madagasikara", "United Kingdom", "UK", "England",
        "Scotland", "Ireland", "Éire", "Eire", "Danmark", "Sverige", "Norge", "Suomi",
        "România", "Romania", "Česko", "Magyarország", "Hrvatska", "Srbija", "Slovenija",
        "Slovensko", "Lietuva", "Latvija", "Eesti", "Lëtzebuerg", "Luxemburg", "Hellas",
        "Brasil", "Brazil", "México", "Mexico", "Argentina", "Colombia", "Perú", "Peru",
        "Chile", "USA", "U.S.A.", "United States", "Canada", "Senegal", "Ivory Coast",
        "Lebanon", "Egypt", "Viet Nam", "Vietnam", "China", "Japan", "India",
    }
)  # fmt: skip
