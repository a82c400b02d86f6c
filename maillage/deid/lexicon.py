"""Word lists used by the recognizers: data, not logic.

Everything is compared in lower case with typographic apostrophes folded to ``'``.
Add words here rather than special cases in the code.
"""

from __future__ import annotations

from typing import Final


def words_of(block: str) -> frozenset[str]:
    """The comma- and line-separated words of ``block``, in comparison form."""
    return frozenset(
        word.strip().lower().replace("\u2019", "'")
        for line in block.strip().splitlines()
        for word in line.split(",")
        if word.strip()
    )


#: Nouns that introduce an eponym: "maladie de Crohn", "signe de Babinski",
#: "score d'Alvarado". What follows them (de/d'/du/von + capitalised words) is never a person.
EPONYM_HEADS: Final = words_of(
    """
    maladie, maladies, syndrome, syndromes, signe, signes, test, tests, score, scores,
    classification, manœuvre, manoeuvre, manœuvres, triade, tétrade, réflexe, loi, critère,
    critères, échelle, echelle, méthode, technique, opération, intervention, procédure,
    nomogramme, abaque, fracture, kyste, tumeur, sarcome, lymphome, leucémie, ulcère, phénomène, épreuve, index,
    indice, stade, stades, cellule, cellules, corps, nodule, nodules, nodosité, nodosités,
    anneau, tache, taches, point, points, ligne, angle, espace, canal, artère, cercle,
    membrane, ligament, bourse, polype, sonde, position, diverticule, anomalie, tétralogie,
    pentalogie, trilogie, purpura, encéphalopathie, encéphalite, thyroïdite, goitre, paralysie,
    chorée, névralgie, ataxie, dystrophie, myopathie, sclérose, angine, rétinopathie, formule,
    règle, équation, algorithme, protocole, bloc, onde, ondes, complexe, cardiomyopathie,
    bacille, bacilles, virus, agent, granulome, granulomatose, néphropathie, glomérulonéphrite,
    neuropathie, polyneuropathie, hépatite, colite, iléite, anémie, thrombasthénie,
    thrombopénie, macroglobulinémie, dysplasie, hernie, luxation, ostéochondrose, ostéochondrite,
    apophysite, aponévrosite, contracture, kératose, kératite, érythème, nævus, naevus,
    ténosynovite, tendinite, œsophage, oesophage, endobrachyœsophage, endobrachyoesophage,
    muqueuse, épithélium, métaplasie,
    sphincter, ampoule, glande, glandes, îlots, ilots, pyramide, plexus, faisceau, trompe,
    liquide, solution, soluté, pommade, potion, classe, grade, grades, type, gaz, cathéter,
    valve, valvule, shunt, dérivation, anastomose, montage, prothèse, ostéotomie, plastie,
    incision, sérologie, réaction, coloration, milieu, gélose, pince, pinces, attelle, collier,
    minerve, corset, trisomie, acrosyndrome, hypoplasie, séquence, association, spectre,
    malformation, vascularite, artérite,
    névrome, ganglion, ganglions, arthropathie, ostéoarthropathie, neuroarthropathie,
    nerf, valvulopathie, souffle, pseudarthrose, capsulite, bursite, neurinome, hamartome
    """
)

#: Particles that join an eponym head to the eponym, or parts of a compound eponym.
EPONYM_LINKS: Final = words_of("de, d', du, des, von, van, et, de la")

#: Eponyms and named scales used on their own ("un Parkinson", "Glasgow 14", "Fisher 3").
EPONYMS: Final = words_of(
    """
    Addison, Adie, Alport, Alvarado, Alzheimer, Angelman, Apgar, Apley, Argyll, Arnold, Asherman,
    Asperger, Babinski, Balthazar, Barlow, Barré, Barthel, Bartholin, Bartter, Basedow, Beck,
    Becker, Behçet, Bell, Berger, Bickerstaff, Biermer, Binswanger, Bishop,
    Blackfan, Blumberg, Bouchard, Bourneville, Bouveret, Braden, Breslow, Brown-Séquard,
    Brudzinski, Brugada, Buerger, Burkitt, Chagas, Charcot, Chauffard, Chiari, Child, Child-Pugh,
    Chvostek, Clark, Cobb, Cockcroft, Cockcroft-Gault, Coombs, Cormack, Couvelaire, Creutzfeldt,
    Creutzfeldt-Jakob, Crigler-Najjar, Crohn, Cushing, Cushman, Dandy-Walker, DeBakey, Dravet,
    Dubin-Johnson, Duchenne, Dukes, Dupuytren, Eaton, Ebstein, Edwards, Ehlers-Danlos, Eisenmenger,
    Epley, Epworth, Erb, Ewing, Fabry, Fagerström, Fahr, Fallot, Fanconi, Fick, Finkelstein,
    Fisher, Folstein, Forrest, Friedewald, Friedreich, Gayet-Wernicke, Gaucher, Gault, Genève,
    Gerber, Gitelman, Glanzmann, Glasgow, Gleason, Goodpasture, Gougerot, Gougerot-Sjögren,
    Graves, Guillain, Guillain-Barré, Guthrie, Hallpike, Hamilton, Hashimoto, Hawkins,
    Heberden, Heimlich, Henoch, Hirschsprung, Hodgkin, Hoehn, Hoffmann, Holter, Homans, Horner,
    Horton, Huntington, Hunt, Jakob, Jendrassik, Jobe, Kahler, Kallmann, Kaposi, Karnofsky,
    Kasabach, Katz, Kawasaki, Kernig, Killip, Klinefelter, Koch, Korsakoff, Kussmaul, Lachman,
    Lambert-Eaton, Lasègue, Lawton, Lennox, Lennox-Gastaut, Leriche, Lewy, Lhermitte,
    Lichtenstein, Lisfranc, Lown, Lyell, Lyme, Mallampati, Mallory-Weiss, Manning, Marfan, Marsh,
    Mayo, McBurney, Mac Burney, McMurray, Meckel, Meigs, Menière, Ménière, Minkowski,
    Moschcowitz, Murphy, Neer, Norton, Osgood, Osgood-Schlatter, Paget, Papanicolaou,
    Parinaud, Parkinson, Patte, Phalen, Pick, Pompe, Pott, Prader-Willi, Pugh, Quervain, Quincke,
    Raynaud, Recklinghausen, Reiter, Renne, Rett, Riedel, Risser, Romberg, Rovsing, Salter,
    Schirmer, Schlatter, Schober, Schönlein, Sheehan, Silverman, Sjögren, Sokolow, Steinert,
    Stevens-Johnson, Still, Sturge-Weber, Swan-Ganz, Takayasu, Takotsubo, Tanner, Tinel,
    Tinetti, Tourette, Trendelenburg, Trousseau, Turner, Valsalva, Vaquez, Venturi, Waldenström,
    Wallenberg, Wegener, Wells, Wernicke, West, Whipple, Willebrand, Wilson, Wiskott-Aldrich,
    Wolff-Parkinson-White, Yahr, Yergason, Ziehl, Zollinger-Ellison, Doppler, Foley, Guedel,
    Hurley, Hinchey, Bosniak, Ranson, Rockall, Blatchford, Glasgow-Blatchford, Centor, McIsaac,
    Spetzler-Martin, Outerbridge, Kellgren, Kellgren-Lawrence, Lauge-Hansen, Salter-Harris,
    Lequesne, Oswestry, Charlson, Sokal, Lenègre, Verneuil, Kikuchi, Castleman,
    Churg-Strauss, Boerhaave, Peyronie, Ledderhose, Kienböck, Scheuermann, Tietze, Virchow,
    Courvoisier, Ortolani, Lesch-Nyhan, Peutz-Jeghers, Budd-Chiari, Tolosa-Hunt,
    Parsonage-Turner, Klippel-Trénaunay, Pouteau-Colles, Monteggia, Galeazzi, Hoehn-Yahr,
    Leriche-Fontaine, Truelove, Lichtiger, Harvey-Bradshaw, Mayo, Binet, Gleason, Breslow,
    Fogarty, Redon, Salem, Kehr, Mantoux, Gram, Westergren, Kleihauer, Levey, MDRD, CKD-EPI,
    Ranson, Glasgow-Blatchford, Rockall, Rankin, NYHA, Lund, Browder, Wallace, Aldrete,
    Ramsay, Richmond, Cushing-like, Lequesne, Constant, Neer, Garden, Pauwels, Schatzker,
    Weber, Frykman, Pouteau-Colles, Colles, Goyrand-Smith, Monteggia, Galeazzi, Maisonneuve,
    Segond, Hill-Sachs, Bankart, Bennett, Rolando, Kienböck, Sudeck, Volkmann, Dupuytren,
    Tiffeneau, Quetelet, Cornell, Barrett, De Quervain, Lown, Killip, Baux, Sokal, Framingham, Gensini, Rockwood,
    Morton, Troisier, Kenneth-Jones, Chisholm, Beighton, Bentall, Nissen, Latarjet,
    Essex-Lopresti, Ilizarov, Kirschner, Blalock, Pavlik, Ponseti, Milwaukee
    Broca, Rumack-Matthew, Rumack, Lauenstein, Herring, Verdan, Ringer
    """
)

#: Drugs (INN and French brand names) that the NER model tends to take for people.
DRUGS: Final = words_of(
    """
    Abilify, Actiskenan, Actonel, Adenuric, Advil, Amarel, Amlor, Androcur, Aprovel, Aricept,
    Arimidex, Aspégic, Atarax, Augmentin, Avastin, Avlocardyl, Bactrim, Bétadine, Biseptine,
    Brilique, Cacit, Calcidose, Célestène, Cérazette, Ciflox, Clamoxyl, Claforan, Clomid,
    Colchimax, Cordarone, Cortancyl, Coumadine, Coversyl, Cozaar, Crestor, Cymbalta, Cytotec,
    Dafalgan, Daktarin, Décapeptyl, Dépakine, Dépakote, Dermoval, Deroxat, Détensiel, Dexeryl,
    Diamicron, Diffu-K, Diprosone, Doliprane, Duphalac, Duphaston, Durogesic, Ebixa, Efferalgan,
    Effexor, Efient, Eliquis, EllaOne, Enbrel, Entyvio, Estreva, Exelon, Femara, Flagyl,
    Flixotide, Forlax, Forsteo, Fosamax, Fosfocine, Fucidine, Furadantine, Gaviscon, Glivec,
    Glucophage, Gonal-f, Haldol, Herceptin, Humalog, Humira, Imodium, Imovane, Imurel, Inexium,
    Ixprim, Izilox, Januvia, Kardégic, Kenacort, Kenzen, Keppra, Keytruda, Kaléorid, Lamaline,
    Lamictal, Lantus, Laroxyl, Lasilix, Leeloo, Leponex, Lévothyrox, Levothyrox, Lexomil,
    Locoid, Loxapac, Lutényl, Lyrica, Médrol, Ménopur, Mirena, Modopar, Monuril, Mopral,
    Motilium, Movicol, Nalador, Neurontin, Nexplanon, Norlevo, Norset, Novorapid, Nurofen,
    Oflocet, Ogast, Opdivo, Optimizette, Orelox, Oroken, Oxycontin, Pentasa, Pevaryl, Plaquenil,
    Plavix, Préviscan, Previscan, Primpéran, Profénid, Prolia, Protopic, Provames, Prozac,
    Reminyl, Remicade, Requip, Risperdal, Rivotril, Roaccutane, Rocéphine, Rowasa, Rulid,
    Salazopyrine, Sectral, Seresta, Seretide, Seroplex, Sifrol, Sinemet, Skenan, Smecta,
    Solian, Solupred, Spasfon, Spiriva, Stagid, Stelara, Stilnox, Symbicort, Syntocinon,
    Tahor, Tamiflu, Tareg, Tavanic, Tazocilline, Tégrétol, Temesta, Ténormine, Téralithe,
    Tercian, Tienam, Topalgic, Triatec, Triflucan, Trileptal, Urbanyl, Utrogestan, Uvédose,
    Valium, Valtrex, Ventoline, Voltarène, Vogalène, Xanax, Xarelto, Xeroquel, Zithromax,
    Zocor, Zoladex, Zoloft, Zophren, Zovirax, Zyloric, Zyprexa, Zyvoxid, Lovenox, Innohep,
    Fragmine, Arixtra, Pradaxa, Lixiana, Ozempic, Trulicity, Victoza, Jardiance, Forxiga,
    Entresto, Tramadol, Contramal, Acupan, Nefopam, Perfalgan, Dexeryl, Tussidane, Helicidine,
    Vitascorbol, Uvestérol, Zymad, Toplexil, Rhinofluimucil, Dolirhume, Actifed, Humex,
    Maxilase, Strepsils, Lysopaïne, Magné, Magné-B6, Tardyferon, Timoferol, Fumafer, Speciafoldine,
    Sérétide, Relvar, Trimbow, Ultibro, Anoro, Bricanyl, Atrovent, Pulmicort, Nasonex, Avamys,
    Aerius, Xyzall, Zyrtec, Clarityne, Polaramine, Celestene, Betneval, Kétoprofène, Ketoprofene,
    Metformine, Méthotrexate, Paracétamol, Ibuprofène, Amoxicilline, Prednisolone, Prednisone,
    Furosémide, Bisoprolol, Atorvastatine, Apixaban, Rivaroxaban, Dabigatran, Warfarine,
    Fluindione, Levothyroxine, Lévothyroxine, Insuline, Morphine, Oxycodone, Codéine,
    Lithium, Vigabatrin, Rivastigmine, Donépézil, Mémantine, Galantamine, Riluzole,
    Hydrocortisone, Fludrocortisone, Adalimumab, Infliximab, Védolizumab, Ocrélizumab,
    Trastuzumab, Tolvaptan, Losartan, Capécitabine, Ténectéplase, Adrénaline, Diazépam,
    Prazosine, Dienogest, Sertraline, Venlafaxine, Aripiprazole, Méthylphénidate,
    Artéméther, Artéméther-luméfantrine, Luméfantrine, Hydroxychloroquine, Cholécalciférol,
    Vitamine, Néomercazole, Spironolactone, Amlodipine, Ramipril, Périndopril, Tamsulosine,
    Indapamide, Oxybutynine, Escitalopram, Hydrochlorothiazide, Allopurinol, Azathioprine,
    Sumatriptan, Clarithromycine, Acétylcystéine, N-acétylcystéine, Cortisol,
    Propylthiouracile, Carbimazole, Artésunate, Quinine, Primaquine, Atovaquone, Proguanil,
    Malarone, Méfloquine, Doxycycline, Cloxacilline, Ceftriaxone, Céfotaxime, Gentamicine,
    Amikacine, Vancomycine, Linézolide, Méropénème, Imipénème, Colchicine, Baclofène,
    Tacrolimus, Ciclosporine, Mycophénolate, Évérolimus, Sirolimus, Héparine, Enoxaparine,
    Tinzaparine, Fondaparinux, Ticagrélor, Prasugrel, Clopidogrel, Aspirine, Naloxone,
    Buprénorphine, Méthadone, Kétamine, Propofol, Midazolam, Lorazépam, Oxazépam,
    Halopéridol, Rispéridone, Olanzapine, Quétiapine, Clozapine, Lamotrigine, Lévétiracétam,
    Valproate, Carbamazépine, Oxcarbazépine, Prégabaline, Gabapentine, Duloxétine,
    Amitriptyline, Mirtazapine, Zopiclone, Zolpidem, Mélatonine, Dénosumab, Tériparatide
    """
) | words_of(
    # Added with half C (README): INN without a telling stem, and brand names of
    # biologics, oncology, cardiology, nephrology, neurology and infectiology drugs.
    """
    Anakinra, Patiromer, Sévélamer, Sevelamer, Exémestane, Tamoxifène, Fulvestrant,
    Colestyramine, Ézétimibe, Ezetimibe, Fébuxostat, Febuxostat, Hydroxyurée, Mésalazine,
    Mesalazine, Sulfasalazine, Rifampicine, Rifaximine, Isoniazide, Éthambutol, Bédaquiline,
    Fidaxomicine, Nitrofurantoïne, Pivmécillinam, Témocilline, Céfépime, Ceftazidime,
    Daptomycine, Dalbavancine, Fosfomycine, Valganciclovir, Ganciclovir, Letermovir,
    Ténofovir, Emtricitabine, Praziquantel, Sélexipag, Iloprost, Digoxine, Nicorandil,
    Molsidomine, Trinitrine, Ranolazine, Éplérénone, Eplerenone, Desmopressine,
    Lévocarnitine, Protamine, Acénocoumarol, Naltrexone, Nalméfène, Acamprosate,
    Disulfirame, Varénicline, Bupropion, Cytisine, Édaravone, Cilostazol, Pentoxifylline,
    Naftidrofuryl, Stiripentol, Clobazam, Pérampanel, Topiramate, Cannabidiol,
    Acétylleucine, Méclozine, Dompéridone, Métopimazine, Aprépitant, Macrogol, Lactulose,
    Linaclotide, Capsaïcine, Atropine, Déféroxamine, Sacubitril, Urapidil, Cyclopentolate,
    Néostigmine, Pyridostigmine, Éculizumab, Efgartigimod, Voclosporine, Néridronate,
    Kineret, Mestinon, Veltassa, Lokelma, Resikali, Kayexalate, Sintrom, Tixtar, Aubagio,
    Tysabri, Gilenya, Ocrevus, Tecfidera, Kesimpta, Mavenclad, Verquvo, Kerendia, Mounjaro,
    Wegovy, Saxenda, Praluent, Repatha, Leqvio, Ezetrol, Lipanthyl, Solumédrol, Solumedrol,
    Hydréa, Jakavi, Imbruvica, Calquence, Revlimid, Velcade, Darzalex, Aromasine, Ibrance,
    Kisqali, Verzenios, Xtandi, Zytiga, Erleada, Eligard, Firmagon, Avodart, Urorec, Xatral,
    Omix, Josir, Betmiga, Vesicare, Ceris, Valdoxan, Brintellix, Reagila, Latuda, Dépamide,
    Vimpat, Briviact, Fycompa, Diacomit, Epidyolex, Aimovig, Emgality, Ajovy, Vydura,
    Epitomax, Sibelium, Serc, Tanganil, Agyrax, Vogalib, Emend, Resolor, Constella,
    Entocort, Xeljanz, Jyseleca, Zeposia, Rinvoq, Olumiant, Rifadine, Rimifon, Myambutol,
    Dificlir, Selexid, Negaban, Zavicefta, Cubicin, Xydalba, Vfend, Noxafil, Cresemba,
    Rovalcyte, Prevymis, Biktarvy, Tivicay, Truvada, Epclusa, Maviret, Stromectol, Eskazole,
    Biltricide, Arava, Otezla, Cosentyx, Taltz, Tremfya, Skyrizi, Dupixent, Xolair, Nucala,
    Fasenra, Tezspire, Daxas, Ofev, Esbriet, Tracleer, Opsumit, Revatio, Adempas, Uptravi,
    Multaq, Procoralan, Adancor, Corvasal, Natispray, Ranexa, Inspra, Burinex, Diamox,
    Minirin, Samsca, Renvela, Fosrenol, Mimpara, Parsabiv, Aranesp, Eprex, Binocrit,
    Retacrit, Ferinject, Venofer, Revolade, Nplate, Hemlibra, Praxbind, Ondexxya, Kanokad,
    Octaplex, Benlysta, Lupkynis, Saphnelo, Zarontin, Lederfoline, Qutenza, Versatis,
    Extencilline, Pylera, Diflucan, Toujeo, Tresiba, Abasaglar, Fiasp, Apidra, Xultophy,
    Soliqua, Rybelsus, Byetta, Galvus, Xigduo, Synjardy, Janumet, Eucreas, Glucovance,
    Novonorm, Questran, Krystexxa, Ilaris, RoActemra, Actemra, Orencia, Cimzia, Simponi,
    Benepali, Amgevita, Imraldi, Hyrimoz, Inflectra, Remsima, Zessly, Mabthera, Truxima,
    Kadcyla, Perjeta, Phesgo, Enhertu, Lynparza, Zejula, Tagrisso, Alecensa, Yervoy,
    Tecentriq, Imfinzi, Libtayo, Bavencio, Tafinlar, Mekinist, Braftovi, Mektovi, Zelboraf,
    Cotellic, Sutent, Nexavar, Inlyta, Cabometyx, Lenvima, Stivarga, Votrient, Afinitor,
    Sprycel, Tasigna, Bosulif, Iclusig, Purinethol, Xeloda, Temodal, Gemzar, Taxotere,
    Navelbine, Alimta, Lonsurf, Erbitux, Vectibix, Cyramza, Zaltrap, Neulasta, Granocyte,
    Zarzio, Xgeva, Aclasta, Zometa, Evenity, Protelos, Bonviva, Optruma, Evista, Movymia,
    Spiriva, Relvar, Trelegy, Bevespi, Enerzair, Atectura, Nicopatch, Champix, Selincro,
    Aotal, Espéral, Subutex, Suboxone, Orobupré, Nalscue, Nyxoid, Dafalgan, Kineret
    """
)

#: Health products that are no drug molecule, by brand (vaccines, dressings, bowel
#: preparations, diagnostic tests), chemotherapy regimens and named scales: the NER model
#: takes them for people as it does drugs ("Prevenar 20 faits", "pansement Mepilex").
PRODUCTS: Final = words_of(
    """
    Prevenar, Vaxneuvance, Pneumovax, Beyfortus, Synagis, Abrysvo, Arexvy, Infanrix,
    Hexyon, Vaxelis, Boostrix, Repevax, Revaxis, Tetravac, Priorix, M-M-RVaxPro, Nimenrix,
    Menveo, MenQuadfi, Neisvac, Bexsero, Trumenba, Gardasil, Cervarix, Engerix, HBVaxPro,
    Twinrix, Havrix, Avaxim, Typhim, Stamaril, Ixiaro, Qdenga, Dengvaxia, Rabipur, Shingrix,
    Zostavax, Varivax, Varilrix, Rotarix, RotaTeq, Efluelda, Vaxigrip, Influvac, Fluenz,
    Comirnaty, Spikevax, Nuvaxovid, Imvanex, Jaydess, Kyleena,
    Mepilex, Mepitel, Aquacel, Urgostart, Urgotul, Allevyn, Biatain, Tegaderm, Askina,
    Algostéril, Algosteril, Cicaplaie, Hydrocoll, Duoderm, Comfeel, Melgisorb, Kaltostat,
    Tielle, Versiva, Physiotulle, Jelonet, Adaptic, Inadine, Flammazine, Opsite, Cosmopore,
    Moviprep, Colopeg, Fortrans, Izinova, Citrafleet, Picoprep, Plenvu, Klean-Prep, Normacol,
    Tubertest, Quantiféron, Quantiferon, T-SPOT, Xpert, GeneXpert, Oncotype, MammaPrint,
    Prosigna, Endopredict, Cologuard, Hémoccult, Hemoccult, BinaxNOW, Biofire, FilmArray,
    FOLFOX, FOLFIRI, FOLFIRINOX, FOLFOXIRI, XELOX, CAPOX, XELIRI, LV5FU2, R-CHOP, R-CVP,
    R-DHAP, ABVD, BEACOPP, BEP, EC-paclitaxel, TCH, FEC, DCF, FLOT, VRD, VCD, VMP,
    AGGIR, Algoplus, Doloplus, ECPA, MNA, NIHSS, Columbia, C-SSRS, Waterlow, IADL, HADS,
    PHQ-9, GAD-7, AUDIT, DETA, ADOS, M-CHAT
    Meopa, MEOPA, Steri-Strip, Stéri-Strip, Vacutainer
    """
)

#: Drug-name endings (INN stems): a capitalised word ending like this is a drug.
DRUG_SUFFIXES: Final = (
    "mab",
    "nib",
    "pril",
    "sartan",
    "xaban",
    "gatran",
    "gliptine",
    "flozine",
    "glutide",
    "statine",
    "cilline",
    "mycine",
    "floxacine",
    "azépam",
    "azepam",
    "zolam",
    "tidine",
    "prazole",
    "dronate",
    "lukast",
    "triptan",
    "coxib",
    "sétron",
    "setron",
    "parine",
    "pressine",
    "olol",
    "dipine",
    "azole",
    "vudine",
    "navir",
    "previr",
    "asvir",
    "ciclovir",
    "profène",
    "fénac",
    "tadine",
    "thiazide",
    "semide",
    "tiapride",
    "oxétine",
    "oxetine",
    "faxine",
    "pramine",
    "triptyline",
    "tépine",
    "apine",
    "péridol",
    "idone",
    "vastatine",
    "sone",
    "solone",
    "uracile",
    "sunate",
    "oquine",
    "cycline",
    "platine",
    "rubicine",
    "taxel",
    "caïne",
    "caine",
    "tinib",
    "ciclib",
    "parib",
    "limus",
    "mycine",
    "pénème",
    "penem",
    # WHO INN stems and French endings seen in clinical texts, added with half C (README).
    "zole",  # létrozole, anastrozole, riluzole (azole covered only the -azole ones)
    "stigmine",
    "ciguat",
    "kinra",
    "cept",
    "glinide",
    "gliptin",
    "statin",
    "vir",
    "zépam",
    "afil",
    "bactam",
    "fungine",
    "mectine",
    "lutamide",
    "térone",
    "terone",
    "réline",
    "reline",
    "relix",
    "golix",
    "astéride",
    "asteride",
    "losine",
    "dosine",
    "zosine",
    "bégron",
    "begron",
    "fénacine",
    "arizine",
    "histine",
    "gépant",
    "gepant",
    "zomib",
    "lidomide",
    "toclax",
    "siran",
    "patide",
    "poétine",
    "poetine",
    "grastim",
    "plostim",
    "bopag",
    "calcet",
    "calcétide",
    "racétam",
    "racetam",
    "amide",
    "imod",
    "flunomide",
    "milast",
    "entan",
    "prost",
    "bradine",
    "tazidine",
    "darone",
    "caïnide",
    "sémide",
    "tanide",
    "vaptan",
    "terol",
    "tropium",
    "ronium",
    "curium",
    "fibrate",
    "glitazone",
    "olone",
    "ximide",
    "triptan",
    "trexate",
    "fosfamide",
    "platine",
    "azine",
    # Dopamine agonists (ropinirole, pramipexole) and the -irole/-pexole stems.
    "inirole",
    "pexole",
)

#: Endings of medical common nouns and participles ("Appendicectomie", "Plasmaphérèse",
#: "Accouchée"), which the NER model sometimes takes for names at the start of a sentence.
#: French surnames practically never end like this.
MEDICAL_SUFFIXES: Final = (
    "thérapie",
    "ectomie",
    "otomie",
    "stomie",
    "phérèse",
    "graphie",
    "scopie",
    "plastie",
    "pathie",
    "algie",
    # "Exophtalmie", "Hémiplégie", "Dyspnée", "Hypertrophie": no public surname ends so.
    "ophtalmie",
    "plégie",
    "pnée",
    "trophie",
    "plasie",
    "cardie",
    "émie",
    "urie",
    "ite",
    "ose",
    "ome",
    "ique",
    "ée",
    "ées",
    "és",
    "isme",
    "tion",
    "ssion",
    "ment",
    # "Radiofréquence", "Insuffisance": surnames with these endings are rare and short.
    "ence",
    "ance",
)

#: Capitalised words common in clinical texts that are never names on their own.
MEDICAL_WORDS: Final = (
    words_of(
        """
    Avis, Question, Questions, Bonjour, Bonsoir, Merci, Cher, Chère, Chers, Chères, Cordialement,
    Amitiés, Confraternellement, Bien, Patient, Patiente, Patients, Homme, Femme, Enfant, Garçon,
    Fille, Nourrisson, Bébé, Adolescent, Adolescente, Docteur, Professeur, Monsieur, Madame,
    Mademoiselle, Confrère, Consœur, Collègue, Antécédents, Antécédent, ATCD, Traitement,
    Traitements, Conclusion, Bilan, Biologie, Motif, Histoire, Allergie, Allergies, Poids, Taille,
    Examen, Examens, Clinique, Imagerie, Scanner, Échographie, Echographie, Radiographie, IRM,
    TDM, ECG, EEG, EMG, ETT, ETO, CRP, NFS, PCR, TSH, HbA1c, Glycémie, Créatinine, Natrémie,
    Kaliémie, Ferritine, Albumine, Troponine, Plaquettes, Hémoglobine, Leucocytes, Urgences,
    Urgence, SAMU, SMUR, SOS, CHU, CHRU, CHR, CH, EHPAD, HAD, SSR, USLD, CMP, CMPP, PMI, MDPH,
    UDAF, IDE, IDEL, MG, Réanimation, Cardiologie, Neurologie, Pneumologie, Pédiatrie,
    Gériatrie, Psychiatrie, Dermatologie, Rhumatologie, Néphrologie, Hématologie, Oncologie,
    Endocrinologie, Gastro-entérologie, Hépatologie, Ophtalmologie, ORL, Urologie, Gynécologie,
    Obstétrique, Chirurgie, Infectiologie, Addictologie, Allergologie, Maternité, Service,
    Ordonnance, Certificat, Courrier, Compte, Demande, Message, Transmission, Régulation,
    Passage, Consultation, Hospitalisation, Sortie, Entrée, Séjour, Suivi, Contrôle, Contact,
    Contacts, Coordonnées, Adresse, Tél, Téléphone, Mail, Email, E-mail, Né, Née, Nom,
    Prénom, Requérant, Requis, Infirmière, Infirmier, Pédiatre, Référent, Référente, Mère,
    Père, Parents, Famille, Sa, Son, Ses, Le, La, Les, Un, Une, Des, Je, Il, Elle, Nous, Vous,
    Ils, Elles, On, Ce, Cette, Ces, Qu, Que, Quoi, Quel, Quelle, Pas, Plus, Sous, Sans, Avec,
    Pour, Par, Chez, Dans, Depuis, Après, Avant, Lors, Selon, Type, Stade, Grade, Score, Test,
    Signe, Maladie, Syndrome, Diabète, Asthme, Cancer, Lymphome, Diagnostic, Pronostic,
    Syndromes, Dossier, Cas, Discussion, RCP, Tension, Pouls, Fièvre, Température, Saturation,
    Glasgow, EVA, Dr, Pr, Mme, Mlle, M., Mr, Sortant, Entrant, Transfert, Appel, Rappel,
    Intoxication, Embolie, Douleur, Douleurs, Bon, Bonne, Cordiales, Salutations, Lettre,
    Réponse, Commentaire, Commentaires, Note, Notes, Plan, Synthèse, Observation, Évolution,
    Evolution, Terrain, Mode, Vie, Voir, Cf, Jour, Nuit, Matin, Soir, Lundi, Mardi, Mercredi,
    Jeudi, Vendredi, Samedi, Dimanche, Janvier, Février, Mars, Avril, Mai, Juin, Juillet,
    Août, Septembre, Octobre, Novembre, Décembre, France, Europe, Afrique, Mali, Maroc,
    Algérie, Tunisie, Sénégal, Lorraine, Vosges, Moselle, Meuse, Meurthe-et-Moselle, Corse,
    Établissement, Etablissement, Cabinet, Centre, Hôpital, Pôle,
    Unité, Secrétariat, Pharmacie, Laboratoire, Numéro, RPPS, ADELI, FINESS, NIR, INS, IPP,
    Carte, Vitale, Sécurité, Sociale, Mutuelle, ALD, AME, CMU, CSS, Tutelle, Curatelle,
    Maladies, Rares, Médecine, Interne, Travail, Sport, Éthique, Ethique, Douleur, Cas,
    Stable, Normal, Normale, Négatif, Négative, Positif, Positive, Aucun, Aucune, Absence,
    Présence, Pas, Non, Oui, Probable, Suspicion, Hypothèse, Risque, Facteurs, Prise, Charge,
    Transport, Bon, Arrêt, Soins, Plaie, Escarre, Vaccin, Vaccination, BCG, ROR, DTP, Covid,
    COVID-19, SARS-CoV-2, VIH, VHB, VHC, HPV, VRS, EBV, CMV, HSV, VZV, BK, Plasmodium,
    Staphylococcus, Streptococcus, Escherichia, Klebsiella, Pseudomonas, Candida, Aspergillus,
    Mycobacterium, Helicobacter, Clostridium, Listeria, Salmonella, Legionella, Neisseria,
    Borrelia, Treponema, Chlamydia, Mycoplasma, Toxoplasma, Enterococcus, Proteus, Enterobacter
    """
    )
    | words_of(
        # Meeting words, software and the short names of specialties that open a post
        # ("Staff néphro", "Pneumo : …", "vu sur Doctolib").
        """
    Staff, Visio, Réunion, Deauville, Lugano, Google, Doctolib, Maiia, WhatsApp, Teams, Zoom, Skype, Omnidoc,
    Ameli, Vidal, Antibioclic, Internet, Facebook, Messenger, Gmail, Outlook, Pneumo, Cardio,
    Doctissimo, Instagram, LinkedIn, Twitter, TikTok, Telegram, Snapchat, Signal,
    Néphro, Nephro, Gastro, Rhumato, Neuro, Endoc, Endocrino, Dermato, Hémato, Hemato, Onco,
    Uro, Gynéco, Gyneco, Psy, Ophtalmo, Ophtalmologie, Ophtalmologue, Réa, Hépato, Hepato,
    Infectio, Gériatrie, Pédopsy, Médecine, Diabéto, Diabeto, ORL, Radio, Kiné, Ortho,
    Traumato, Angio, Chir, Anapath, Labo, Pharma, Urgentiste, Régulateur, Anonyme
    """
    )
    | words_of(
        # The verbs that open a letter's closing formula ("Veuillez croire, cher confrère, …").
        """
    Veuillez, Recevez, Agréez, Croyez, Acceptez, Crois, Reçois, Bien, Sincèrement
    """
    )
    | words_of(
        # Home-care services and the short forms of SMS and forms: "l'IDE du SSIAD", "Bjr
        # Dr", "Dom. 04 …" (the home phone), never a person.
        """
    SSIAD, SAAD, SPASAD, ESA, SAVS, SAMSAH, Bjr, Bsr, Slt, Dom
    """
    )
    | words_of(
        # Care trades; bacteria, parasites and fungi named alone ("Vibrio ?").
        """
    IBODE, IADE, IPA, Vibrio, Yersinia, Leishmania, Trypanosoma, Schistosoma, Rickettsia, Bordetella, Shigella,
    Campylobacter, Brucella, Coxiella, Bartonella, Pasteurella, Francisella, Nocardia,
    Actinomyces, Cryptococcus, Pneumocystis, Giardia, Entamoeba, Toxocara, Echinococcus,
    Strongyloides, Anisakis
    """
    )
    | words_of(
        # Syndromes and signs written as acronyms or in English (round 14).
        """
    SIADH, SIHAD, Gasps, Gasp, HBs, Ag HBs, AgHBs, Ac HBs, HBe
    """
    )
)

#: Words of these lists that are also frequent surnames: after a title or a first name they
#: are the person's ("Mme Vidal", "Laurence Vidal"), alone they are the word ("le Vidal").
SURNAMES_AMONG_WORDS: Final = words_of("Vidal")

#: Capitalised words that are no person but may name a place ("place de la Mairie", "rue
#: de la Santé"): words opening a form's line or a note's sentence ("Début Apixaban",
#: "Signature du médecin", "Verres correcteurs"), institutions, a portal's buttons.
NOT_PERSON_WORDS: Final = words_of(
    """
    Début, Fin, Reprise, Relais, Poursuite, Introduction, Majoration, Diminution, Livraison,
    Rapport, Signature, Date, Fax, Objet, Senior, Junior, Groupe, Verres, Faire, Hôpitaux,
    Institut, Fondation, Gendarmerie, Mairie, Pompiers, Mon, Ma, Mes, Export, Refuser,
    Accepter, Annuler, Department, Internal, Medicine, Espace, Santé
    """
)

#: Courtesy titles and professional titles placed before a name.
TITLES: Final = words_of(
    """
    M., M, MM., Mr, Mr., Mrs, Mme, Mmes, Mlle, Mlles, Me, Maître, Dr, Dr., Dre, Drs, Docteur, Docteure,
    Pr, Pr., Pre, Professeur, Professeure, Monsieur, Madame, Mademoiselle, Messieurs, Mesdames
    """
)

#: Kinship and care roles after which a capitalised word is a person ("sa fille Françoise").
RELATIONS: Final = words_of(
    """
    maman, papa, fils, fille, famille, nièce, neveu, frère, sœur, soeur, mère, père, mari, épouse, époux, femme,
    compagnon, compagne, conjoint, conjointe, concubin, concubine, ami, amie, belle-fille,
    beau-fils, belle-sœur, beau-frère, belle-mère, beau-père, gendre, bru, tante, oncle, cousin,
    cousine, voisin, voisine, tuteur, tutrice, curateur, curatrice, aidant, aidante, infirmière,
    infirmier, kiné, kinésithérapeute, médecin, pédiatre, généticien, généticienne, oncologue,
    psychiatre, psychologue, avocat, avocate, auxiliaire, aide-soignante, aide-soignant,
    petite-fille, petit-fils, arrière-petite-fille, arrière-petit-fils, grand-mère, grand-père,
    enfant, enfants, patient, patiente, interne, externe, chef, collègue, confrère, consœur,
    remplaçant, remplaçante, résident, résidente, secrétaire, assistante, assistant, référent, référente, ide,
    orthophoniste, ergothérapeute, diététicienne, sage-femme, pharmacien, pharmacienne,
    cardiologue, neurologue, pneumologue, néphrologue, dermatologue, rhumatologue, urologue,
    gynécologue, chirurgien, chirurgienne, anesthésiste, radiologue, gériatre, endocrinologue,
    hématologue, gastro-entérologue, ophtalmologiste, ophtalmologue, allergologue, neurochirurgien
    """
)

#: Field labels ("Patient : DUBOIS Marc") whose value is a person's name.
NAME_LABELS: Final = words_of(
    """
    patient, patiente, nom, prénom, prénoms, nom de naissance, nom d'usage, nom de jeune fille,
    nom marital, requérant, requérante, requis, requise, médecin traitant, médecin prescripteur,
    médecin, personne de confiance, contact, mère, père, parents, tuteur, tutrice, curateur,
    curatrice, aidant, aidante, signé, signature, interne, externe, ide, infirmière, infirmier,
    infirmière libérale, infirmier libéral, pédiatre, référent, référente, destinataire,
    expéditeur, auteur, adressé par, adressée par, identité, assuré, assurée, bénéficiaire,
    enfant, épouse, époux, mari, conjoint, conjointe, fils, fille, voisin, voisine
    """
)

#: Words that open or close a letter, followed or preceded by the writer's / reader's name.
GREETINGS: Final = words_of(
    "cher, chère, chers, chères, bonjour, bonsoir, salut, coucou, merci, bjr, bsr, slt"
)
SIGN_OFFS: Final = words_of(
    """
    cordialement, bien cordialement, très cordialement, confraternellement,
    bien confraternellement, amitiés, amicalement, bien à vous, bien à toi, à bientôt,
    bonne journée, bonne soirée, merci, merci d'avance, salutations, bises
    """
)

#: French first names, used to recognise a name standing on its own ("Léo, 6 ans").
FIRST_NAMES: Final = words_of(
    """
    Adam, Adèle, Adrien, Agathe, Agnès, Ahmed, Aïcha, Alain, Albert, Alexandre, Alexis, Alice,
    Aline, Amandine, Amélie, Amina, Anaïs, André, Andrée, Anne, Annick, Annie, Antoine, Arnaud,
    Arthur, Audrey, Aurélie, Aurélien, Axel, Baptiste, Bastien, Benjamin, Benoît, Bernadette,
    Bernard, Bertrand, Brigitte, Bruno, Camille, Carole, Caroline, Catherine, Cécile, Céline,
    Chantal, Charles, Charlotte, Chloé, Christian, Christiane, Christine, Christophe, Claire,
    Clara, Claude, Claudine, Clément, Clémence, Colette, Corinne, Cyril, Damien, Daniel, Danielle,
    David, Delphine, Denis, Denise, Didier, Dominique, Dylan, Édith, Édouard, Élisabeth, Élise,
    Élodie, Éloïse, Emma, Emmanuel, Emmanuelle, Émilie, Enzo, Éric, Estelle, Étienne, Eugénie,
    Éva, Évelyne, Fabien, Fabienne, Fabrice, Fanny, Fatima, Fatoumata, Florence, Florian,
    Francis, Franck, François, Françoise, Frédéric, Gabriel, Gaëlle, Georges, Gérard, Germaine,
    Ghislaine, Gilbert, Gilles, Ginette, Grégory, Guillaume, Guy, Hélène, Henri, Hervé, Hugo,
    Ibrahim, Inès, Isabelle, Jacqueline, Jacques, Jade, Jean, Jeanne, Jennifer, Jérémy, Jérôme,
    Joël, Jonathan, Jordan, Joseph, Josiane, Julie, Julien, Juliette, Justine, Karim, Karine,
    Kevin, Killian, Laetitia, Laure, Laurence, Laurent, Léa, Léo, Léon, Liliane, Lina, Lionel,
    Louis, Louise, Luc, Lucas, Lucie, Lucien, Ludovic, Madeleine, Manon, Marc, Marcel,
    Margaux, Margot, Marguerite, Marie, Marine, Marion, Martine, Mathéo, Mathias, Mathieu,
    Mathilde, Mathis, Matthieu, Maxime, Mélanie, Michel, Micheline, Michèle, Mireille, Mohamed,
    Monique, Morgane, Myriam, Nadia, Nadine, Nathalie, Nathan, Nicolas, Nicole, Noah, Noël,
    Noémie, Océane, Odette, Odile, Olivier, Pascal, Pascale, Patrice, Patricia, Patrick, Paul,
    Paulette, Pauline, Philippe, Pierre, Quentin, Raphaël, Raymond, Raymonde, Rémi, Renée, René,
    Richard, Robert, Roger, Roland, Romain, Sabrina, Samuel, Sandrine, Sarah, Sébastien, Serge,
    Simone, Sophie, Stéphane, Stéphanie, Suzanne, Sylvain, Sylvie, Théo, Thérèse, Thierry,
    Thomas, Timothée, Valérie, Véronique, Victor, Vincent, Virginie, Xavier, Yannick, Yasmine,
    Youssef, Yves, Yvette, Yvonne, Zoé, Kader, Louna, Lola, Rose, Ambre, Alba, Romy, Mila, Anna, Iris,
    Gabin, Jules, Raphaëlle, Sacha, Timéo, Nolan, Ethan, Eden, Liam, Aaron, Marius, Maël,
    Tom, Naël, Kylian, Evan, Loïc, Gaël, Anthony, Jessica, Mickaël, Cédric, Sylviane, Huguette,
    Lucienne, Gisèle, Jeannine, Josette, Marcelle, Simonne, Yolande, Irène, Marthe, Henriette,
    Fernand, Marcelle, Émile, Gaston, Lucette, Paulette, Ginette, Mauricette, Jean-Pierre,
    Jean-Luc, Jean-Claude, Jean-Marie, Jean-Paul, Jean-François, Jean-Louis, Marie-Claire,
    Marie-Thérèse, Anne-Marie, Anne-Sophie, Marie-France, Marie-Christine, Pierre-Yves,
    Abdelkader, Rachid, Nordine, Samir, Karima, Leïla, Nabil, Mehdi, Bilal, Sofiane, Yacine,
    Amine, Rayan, Ilyes, Malik, Moussa, Mamadou, Aminata, Ousmane, Awa, Zeynep, Elif, Emre,
    Agathe, Aurore, Ophélie, Océane, Gérald, Perrine, Solène, Laurine, Coralie, Maëlle,
    Manuela, Sonia, Nora, Sabine, Béatrice, Marianne, Murielle, Muriel, Nadège, Nelly, Lydie,
    Paule, Régine, Rolande, Roselyne, Sylvette, Yasmina, Zohra, Lydia, Gérôme, Hugues, Hubert,
    Gauthier, Grégoire, Jordan, Kévin, Loris, Mathys, Maximilien, Nathanaël, Noé, Pierrick,
    Tristan, Ulysse, Valentin, Valentine, Victoire, Wassim, Frédérique, Angélique, Désirée,
    Aimée, Jérémie, Dominique, Véronique, Hippolyte
    """
)

#: Frequent words that are also first names: only taken as names next to another name.
AMBIGUOUS_FIRST_NAMES: Final = words_of(
    "Claire, Rose, Pierre, Marine, Victoire, Ambre, Iris, Constance, Aurore, Jade, Clément, Noël, "
    "Mila, Guy, Tom, Eden, Marius, Gaston"
)

#: Towns that are also first names ("suivi à Nancy", "né à Florence"): after "à", a place.
PLACES_LIKE_FIRST_NAMES: Final = words_of(
    """
    Nancy, Lourdes, Valence, Vienne, Florence, Orange, Albert, Margaux, Laval, Lucé, Maurice,
    Adélaïde, Victoria, Sydney, Denain, Fleurance, Flavigny, Florac, Aurillac, Lisieux, Laure,
    Agen, Angers, Léon, Clémence, Saintes, Sedan, Vierzon, Dax, Sens, Nice, Tours
    """
)

#: Street types for postal addresses.
STREET_TYPES: Final = words_of(
    """
    rue, avenue, av., av, bd, bd., boulevard, bld, chemin, ch., place, pl., allée, allee,
    impasse, imp., route, rte, quai, cours, square, sq., résidence, faubourg, fbg, rond-point,
    chaussée, sentier, voie, passage, hameau, cité, lotissement, lot., domaine, montée, ruelle,
    esplanade, parvis, promenade, villa, clos, mail, traverse, venelle, cour, parc, lieu-dit,
    lieudit, ZI, ZA, ZAC
    """
)

#: Capitalised words after a street type that make it something other than an address
#: ("place de l'IRM", "voie Veineuse", "Domaine Public", "Route Nationale").
NOT_PLACE_WORDS: Final = MEDICAL_WORDS | words_of(
    """
    IRM, TDM, Public, Privé, Nationale, National, Départemental, Veineuse, Veineux, Orale,
    Digestive, Biliaire, Aérienne, Urinaire, Centrale, Périphérique, Radiologie, Biologie,
    Thérapeutique, Médicale, Chirurgicale, Neurologie, Cardiologie
    """
)

#: Small words inside a street or city name ("rue de la Gare", "Pont-à-Mousson").
PLACE_PARTICLES: Final = words_of(
    "de, du, des, la, le, les, l', d', au, aux, en, sur, sous, lès, lez, et, à, saint, sainte"
)

#: Units written in capitals after 5-digit numbers ("10000 UFC/mL"): never a city.
UNIT_WORDS: Final = words_of("UI, UFC, U, UA, IU, MUI, KUI, UI/L, UI/mL, G/L, T/L, UAE")

MONTHS: Final = {
    "janvier": 1,
    "janv": 1,
    "février": 2,
    "fevrier": 2,
    "févr": 2,
    "fév": 2,
    "fevr": 2,
    "mars": 3,
    "avril": 4,
    "avr": 4,
    "mai": 5,
    "juin": 6,
    "juillet": 7,
    "juil": 7,
    "août": 8,
    "aout": 8,
    "septembre": 9,
    "sept": 9,
    "octobre": 10,
    "oct": 10,
    "novembre": 11,
    "nov": 11,
    "décembre": 12,
    "decembre": 12,
    "déc": 12,
    "dec": 12,
}


def is_drug(word: str) -> bool:
    lowered = word.lower().replace("\u2019", "'")
    return (
        lowered in DRUGS
        or lowered in PRODUCTS
        or (len(lowered) > 6 and lowered.endswith(DRUG_SUFFIXES))
    )
