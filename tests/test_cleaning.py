"""Boilerplate removal, title and dateline extraction, and the map back to the raw text."""

import hashlib
import shutil

import pytest

from askcorpus.indexing.sources import load_articles
from askcorpus.text.cleaning import SourceFile, clean_article, clean_articles
from support import BOILERPLATE_LINES, DATA, SEEDS


def body_text(article, raw):
    return "\n".join(raw[start:end] for start, end in article.segments)


def source_file(name, text):
    return SourceFile(name, text, hashlib.sha256(text.encode()).hexdigest())


def test_all_seeds_lose_every_boilerplate_line():
    files, _ = load_articles(SEEDS)
    articles, empty = clean_articles(files)
    assert empty == [] and len(articles) == 5
    raw = {f.source: f.text for f in files}
    for article in articles:
        body = body_text(article, raw[article.source])
        for line in BOILERPLATE_LINES:
            assert line not in body, (article.source, line)
        last_paragraph = raw[article.source].split("\n- Die besten Bücher")[0].splitlines()[-1]
        assert body.endswith(last_paragraph), article.source


def test_seed_titles_and_datelines():
    files, _ = load_articles(SEEDS)
    articles = {a.source: a for a in clean_articles(files)[0]}
    a = articles["002_67fb698165dfe57f.txt"]
    assert a.title == "Trump sieht Fortschritte bei Waffenruhe-Gesprächen in Moskau"
    assert a.dateline == "WASHINGTON / MÜNCHEN"
    raw = next(f.text for f in files if f.source == a.source)
    assert raw[a.segments[0][0]:].startswith("US-Präsident Donald Trump hat sich optimistisch")
    assert articles["003_a6245cd8f77849b7.txt"].dateline == "MÜNCHEN"


def test_an_all_caps_headline_above_a_dateline_stays_in_the_article():
    raw = ("DER WILDPARK SCHLIESST FÜR IMMER.\n\nCOTTBUS (dpa) – Die Stadt Cottbus schließt den Wildpark. "
           "Das sagte der Bürgermeister.\n")
    article = clean_article(SourceFile("wildpark.txt", raw, "h"))
    assert article.title == "DER WILDPARK SCHLIESST FÜR IMMER." and article.dateline == ""
    assert article.segments[0][0] == 0
    one_line = clean_article(SourceFile("cottbus.txt", "COTTBUS (dpa) –\nDie Stadt Cottbus schließt den Park.\n", "h"))
    assert one_line.dateline == "COTTBUS" and one_line.title == "Die Stadt Cottbus schließt den Park."


def test_a_file_of_boilerplate_alone_has_no_article_text():
    lines = (SEEDS / "000_1670353909dcf48a.txt").read_text(encoding="utf-8").splitlines(keepends=True)
    links = next(n for n, line in enumerate(lines) if line.startswith("- Die besten Bücher"))
    advert = next(n for n, line in enumerate(lines) if line.startswith("- Künstliche Intelligenz: Dem Menschen"))
    for start in (links, advert):  # a link list; a book advert and the comment section's prompts
        assert clean_article(SourceFile("boiler.txt", "\n\n" + "".join(lines[start:]), "h")) is None
    footer = "Impressum | Datenschutz | Kontakt\nAlle Rechte vorbehalten. Rhein-Neckar-Zeitung GmbH\n"
    articles = [SourceFile(name, text + "\n\n" + footer, name) for name, text in (
        ("a.txt", "Die Stadt Heidelberg baut eine neue Brücke über den Neckar. " * 4),
        ("b.txt", "Der Gemeinderat hat am Dienstag den Haushalt für das kommende Jahr beschlossen. " * 3),
        ("c.txt", ""))]  # the site's footer alone: its lines repeat, no pattern marks them
    kept, empty = clean_articles(articles)
    assert [article.source for article in kept] == ["a.txt", "b.txt"] and empty == ["c.txt"]
    # a first line that no pattern marks stays, though boilerplate follows it
    kept = clean_article(SourceFile("kurz.txt", "Die Türkei vermittelte.\n" + "".join(lines[links:]), "h"))
    assert kept is not None and kept.segments == ((0, 23),)


def test_a_title_taken_from_the_text_ends_where_its_sentence_does():
    raw = "HEIDELBERG – Der Ruderverein feiert am Samstag seinen 100. Geburtstag. Erwartet werden 2000 Gäste.\n"
    assert clean_article(SourceFile("ruder.txt", raw, "h")).title == (
        "Der Ruderverein feiert am Samstag seinen 100. Geburtstag.")
    raw = "Staatsschulden bei 72 Mrd. Dollar, Wirtschaft schrumpft. Die Regierung plant Kürzungen.\n"
    assert clean_article(SourceFile("mrd.txt", raw, "h")).title == (
        "Staatsschulden bei 72 Mrd. Dollar, Wirtschaft schrumpft.")


def test_new_article_of_the_same_site_with_new_job_ads(tmp_path):
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    shutil.copy(DATA / "boltwise_new_article.txt", seeds / "005_new.txt")
    files, _ = load_articles(seeds)
    article = next(a for a in clean_articles(files)[0] if a.source == "005_new.txt")
    raw = (seeds / "005_new.txt").read_text(encoding="utf-8")
    body = body_text(article, raw)
    assert article.title == "Deutsch-französisches Wasserstoffprogramm startet im Juni"
    assert article.dateline == "BERLIN / PARIS"
    assert body.startswith("Die Bundesregierung und Frankreich")
    assert body.endswith("Straßburg, Karlsruhe und Lyon.")
    for job in ("Wasserstoff-Projektingenieur", "Data Scientist Energiemärkte", "Werkstudent Netzplanung",
                "Teamleitung Softwareentwicklung"):
        assert job not in body


def test_single_article_of_that_site_is_cleaned_by_patterns_alone(tmp_path):
    raw = (DATA / "boltwise_new_article.txt").read_text(encoding="utf-8")
    article = clean_article(source_file("x.txt", raw))
    body = body_text(article, raw)
    assert body.endswith("Straßburg, Karlsruhe und Lyon.")
    assert "Stellenangebote" not in body and "Data Scientist" not in body


def test_article_without_boilerplate_is_kept_whole():
    raw = "Erster Absatz über die Wahl.\n\nZweiter Absatz mit einer Analyse der Ergebnisse.\n"
    article = clean_article(source_file("plain.txt", raw))
    assert body_text(article, raw) == raw.strip()
    assert article.title == "Erster Absatz über die Wahl."
    assert article.dateline == ""


def test_a_prose_paragraph_before_the_trailer_survives_a_keyword():
    raw = (
        "Ein langer Absatz über Politik, der mehr als genug Zeichen hat, um als Fließtext zu gelten, und "
        "damit sicher zum Artikel gehört, auch wenn er nicht der letzte ist.\n"
        "Die Zeitung kündigte an, ihren Newsletter einzustellen, da die Leserzahlen stark gesunken seien.\n"
        "Zum Schluss noch ein Absatz mit echtem Inhalt, lang genug, um als Prosa zu zählen, und mit einem "
        "Punkt am Ende, wie es sich für einen ordentlichen Satz gehört.\n"
        "- Zur Startseite\n- Newsletter abonnieren\nStellenangebote\nKoch (m/w/d)\n"
    )
    body = body_text(clean_article(source_file("kw.txt", raw)), raw)
    assert body.endswith("wie es sich für einen ordentlichen Satz gehört.")
    assert "Newsletter einzustellen" in body


def test_a_one_line_article_mentioning_a_search_engine_is_kept():
    raw = ("Eigener Browser Edge bei Suchen beworben. " + "Microsoft bedient sich bei Bing genau der Praktiken, die es "
           "Google vorwirft, und wirbt für den eigenen Browser. " * 8).strip()
    article = clean_article(source_file("gnad.txt", raw))
    assert body_text(article, raw) == raw


def test_interior_advert_marker_splits_the_body():
    raw = "Erster Teil des Artikels.\nAnzeige\nZweiter Teil des Artikels."
    article = clean_article(source_file("ad.txt", raw))
    assert [raw[s:e] for s, e in article.segments] == ["Erster Teil des Artikels.", "Zweiter Teil des Artikels."]


def test_offsets_survive_bom_and_crlf():
    raw = "\ufeffMÜNCHEN (AGENTUR) – Ein Satz.\r\nNoch ein Satz.\r\n"
    article = clean_article(source_file("crlf.txt", raw))
    assert [raw[s:e] for s, e in article.segments] == ["Ein Satz.\r\nNoch ein Satz."]
    assert article.dateline == "MÜNCHEN"


def test_republished_article_is_not_emptied():
    raw = (SEEDS / "000_1670353909dcf48a.txt").read_text(encoding="utf-8")
    files = [source_file("a.txt", raw), source_file("b.txt", raw + "\n")]
    articles, empty = clean_articles(files)
    assert empty == [] and len(articles) == 2
    assert all("Die besten Bücher" not in body_text(a, raw) for a in articles)
    assert all(body_text(a, raw).startswith("In einer überraschenden") for a in articles)


def test_clean_hash_follows_the_kept_text():
    raw = "Ein Satz.\nZwei Sätze."
    one = clean_article(source_file("a.txt", raw))
    two = clean_article(source_file("a.txt", raw + "\nDrei."))
    assert one.clean_hash != two.clean_hash


def test_a_revised_copy_of_an_article_keeps_the_paragraphs_it_shares_with_the_original():
    files, _ = load_articles(SEEDS)
    original = next(f for f in files if f.source.startswith("004_"))
    revised = source_file("004-revised.txt", original.text.replace("Putin", "Medwedew"))
    alone = {a.source: a for a in clean_articles(files)[0]}
    together = {a.source: a for a in clean_articles([*files, revised])[0]}
    assert together[original.source] == alone[original.source]  # the copy takes nothing out of the original
    for name, article in ((original.source, alone[original.source]), (revised.source, together[revised.source])):
        raw = original.text if name == original.source else revised.text
        body = body_text(article, raw)
        assert body.endswith(raw.split("\n- Die besten Bücher")[0].splitlines()[-1])  # its last paragraph stays
        for line in BOILERPLATE_LINES:
            assert line not in body  # and the site's lines still go


def test_a_copy_with_a_name_changed_in_every_paragraph_and_an_exact_copy_cut_nothing_from_the_body():
    """A corrected spelling changes every paragraph that names the person: the copies still count as versions of one
    article, so the paragraphs they share are not taken for the site's."""
    files, _ = load_articles(SEEDS)
    original = next(f for f in files if f.source.startswith("000_"))
    copies = [source_file("000-copy.txt", original.text),
              source_file("000-corrected.txt", original.text.replace("Witkoff", "Witkoffx"))]
    alone = {a.source: a for a in clean_articles(files)[0]}
    together = {a.source: a for a in clean_articles([*files, *copies])[0]}
    assert together[original.source] == alone[original.source]
    assert "dementiert" in body_text(together["000-corrected.txt"], copies[1].text)


@pytest.mark.parametrize("ending", ["", "."])  # with the period, the trailer's last line reads as a sentence
def test_two_short_articles_of_one_site_are_not_taken_for_versions_of_each_other(ending):
    trailer = "\n".join([  # no pattern knows these lines: only their repetition marks them
        "Mehr aus dem Ressort Stadt und Land", "Impressum und Datenschutzerklärung der Stadtzeitung",
        "Kontakt zur Redaktion und zum Leserservice", "Über uns, Mediadaten und Anzeigenpreise",
        "Karriere bei uns: offene Stellen in Redaktion und Verlag", "Alle Rechte vorbehalten, Stadtzeitung 2025",
        "Nachdruck und Weitergabe nur mit schriftlicher Genehmigung des Verlags" + ending])
    texts = {"a.txt": "Der Stadtrat beschließt den Haushalt.\nDie Sitzung dauerte bis in die Nacht.\n" + trailer,
             "b.txt": "Das Hallenbad öffnet wieder.\nDie Sanierung kostete drei Millionen Euro.\n" + trailer}
    articles, _ = clean_articles([source_file(name, text) for name, text in texts.items()])
    for article in articles:
        body = body_text(article, texts[article.source])
        assert "Impressum" not in body and "Karriere" not in body and body.count("\n") == 1


def test_two_versions_of_a_short_report_keep_every_line():
    """No line reaches PROSE_CHARS, so the versions share no prose paragraph: the lines they share must not be taken
    for the site's (they were, and the body after the second line was cut from both)."""
    report = ("Bahn meldet Rekord im November\n"
              "Die Deutsche Bahn hat im November so viele Fahrgäste befördert wie nie zuvor.\n"
              "Nach Angaben des Konzerns nutzten 15,3 Millionen Menschen die Fernzüge.\n"
              "Ein Sprecher nannte das Deutschlandticket als einen Grund.\n"
              "Die Pünktlichkeit lag bei 62 Prozent.\n")
    texts = {"bahn.txt": report, "bahn-korrigiert.txt": report.replace("November", "Oktober").replace("15,3", "14,9")}
    articles, empty = clean_articles([source_file(name, text) for name, text in texts.items()])
    assert empty == [] and {a.source: body_text(a, texts[a.source]) for a in articles} == {
        name: text.strip() for name, text in texts.items()}


FOLLOW_UP = [
    "Die Stadtwerke Heidelberg haben am Montag den Bau eines neuen Wärmespeichers im Pfaffengrund begonnen. "
    "Der Speicher soll ab dem kommenden Winter Fernwärme für rund 20.000 Haushalte puffern und den Einsatz von "
    "Gaskesseln senken.",
    "Die Baukosten liegen nach Angaben des Unternehmens bei 18 Millionen Euro, von denen das Land Baden-Württemberg "
    "ein Drittel aus seinem Klimaschutzprogramm übernimmt. Der Gemeinderat hatte dem Projekt im Frühjahr zugestimmt.",
    "Der Wärmespeicher fasst 20 Millionen Liter Wasser und ist 55 Meter hoch.",
]


@pytest.mark.parametrize("shared", [FOLLOW_UP[1:], FOLLOW_UP[2:]])
def test_paragraphs_that_a_follow_up_repeats_from_an_earlier_report_stay_in_both(shared):
    """Two different reports that end with the same one or two paragraphs: those are news, not the site's (they were
    cut from both, and the fact was in no file of the index)."""
    update = ("Nachtrag: Beim Bau des Wärmespeichers im Pfaffengrund ist am Mittwoch ein Kran umgestürzt; verletzt "
              "wurde niemand, die Arbeiten ruhen bis Freitag.\n")
    texts = {"bau.txt": "\n".join(FOLLOW_UP) + "\n", "nachtrag.txt": update + "\n".join(shared),
             "andere.txt": "Das Hallenbad in Kirchheim öffnet nach zwei Jahren Sanierung wieder. Der Umbau kostete "
                           "drei Millionen Euro, teurer als geplant, weil das Dach ersetzt werden musste.\n"}
    articles, _ = clean_articles([source_file(name, text) for name, text in texts.items()])
    bodies = {a.source: body_text(a, texts[a.source]) for a in articles}
    assert bodies == {name: text.strip() for name, text in texts.items()}


def test_a_paragraph_added_below_the_footer_stays_and_the_footer_goes(tmp_path):
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    added = ("Nachtrag: Nach Angaben des Kremls soll Witkoff in der kommenden Woche erneut nach Moskau reisen, um "
             "die Gespräche über eine Waffenruhe fortzusetzen und weitere Einzelheiten des Abkommens zu klären.")
    path = seeds / "000_1670353909dcf48a.txt"
    path.write_text(path.read_text(encoding="utf-8") + "\n\n" + added + "\n", encoding="utf-8")
    files, _ = load_articles(seeds)
    article = next(a for a in clean_articles(files)[0] if a.source == path.name)
    body = body_text(article, path.read_text(encoding="utf-8"))
    assert body.endswith(added)
    for line in BOILERPLATE_LINES:
        assert line not in body, line


@pytest.mark.parametrize("between", [
    "Hintergrund\n– Geschichte der Region\n",  # a heading and a link under it
    "Die Beschlüsse im Überblick:\n- Grundsteuer B\n- Kita-Gebühren\n- Hallenbad\n",  # short points of its own
    "Betroffen sind:\n- Namen\n- E-Mail-Adressen\n- Newsletter-Abonnements\n",  # a keyword in a point
    "Gesucht werden laut Arbeitsagentur:\n- Pflegefachkraft (m/w/d)\n- Erzieher (m/w/d)\n- Busfahrer (m/w/d)\n",
    "Das Wichtigste in Kürze:\n- Mietpreisbremse verlängert\n- Grundsteuer sinkt\n- Kita wird kostenlos\n",
    # paragraphs that mention what site lines mention
    "Meta verschärft die Community-Richtlinien für Gruppen, in denen Falschmeldungen über die Wahl verbreitet "
    "werden; wer gegen sie verstößt, verliert die Rechte eines Moderators.\n"
    "Auch der Newsletter des Konzerns für Werbekunden soll künftig auf die neuen Regeln hinweisen, kündigte eine "
    "Sprecherin am Dienstag in Dublin an.\n"
    "Unsere Leser hatten in den vergangenen Wochen zahlreiche Beispiele solcher Gruppen geschickt, die trotz "
    "Meldungen online blieben.\n",
])
def test_short_lines_between_two_paragraphs_stay_unless_the_site_s_block_is_among_them(between):
    paragraph = ("Ein langer Absatz über die Gemeindepolitik, der mehr als genug Zeichen hat, um als Fließtext zu "
                 "gelten, und damit sicher zum Artikel gehört, auch wenn er nicht der letzte ist.")
    text = f"{paragraph}\n{between}{paragraph.replace('Gemeinde', 'Landes')}\n"
    repeated = frozenset({"hintergrund", "das wichtigste in kürze:"})  # headings other articles of the folder share
    assert body_text(clean_article(source_file("mitte.txt", text), repeated), text) == text.strip()
    site = "- Zur Startseite\n- Newsletter abonnieren\nStellenangebote\nKoch (m/w/d)\n"
    text = f"{paragraph}\n{site}{paragraph.replace('Gemeinde', 'Landes')}\n"
    body = body_text(clean_article(source_file("mitte.txt", text)), text)
    assert body == f"{paragraph}\n{paragraph.replace('Gemeinde', 'Landes')}"


def test_a_list_that_two_articles_share_between_their_paragraphs_stays_in_both():
    candidates = "Die Kandidaten:\n- Olaf Scholz (SPD)\n- Friedrich Merz (CDU)\n- Robert Habeck (Grüne)\n"
    texts = {name: (f"{topic} Ein langer Absatz über den Wahlkampf, der mehr als genug Zeichen hat, um als Fließtext "
                    f"zu gelten, und damit sicher zum Artikel gehört.\n{candidates}Ein zweiter langer Absatz über "
                    f"{topic}, lang genug, um als Prosa zu zählen, und mit einem Punkt am Ende, wie es sich gehört.\n")
             for name, topic in (("a.txt", "Die Umfragen."), ("b.txt", "Das TV-Duell."))}
    articles, _ = clean_articles([source_file(name, text) for name, text in texts.items()])
    for article in articles:
        assert candidates.strip() in body_text(article, texts[article.source])


def test_a_list_of_sentences_near_the_end_of_an_article_stays():
    """A bullet that ends as a sentence is the article's; a link or a call to action ("- … erhalten!") is not."""
    text = ("Gemeinderat beschließt Haushalt\n"
            "HASSLOCH – Der Gemeinderat hat am Donnerstag nach langer Debatte den Haushalt für das kommende Jahr "
            "beschlossen; die Verwaltung hatte ihn im Oktober vorgelegt und zweimal überarbeitet.\n"
            "Die wichtigsten Beschlüsse im Überblick:\n"
            "- Die Grundsteuer B steigt von 400 auf 465 Prozentpunkte.\n"
            "- Die Kita-Gebühren werden nicht erhöht.\n"
            "Die Opposition stimmte dagegen.\n"
            "- Die besten Nachrichten aus der Pfalz kostenlos erhalten!\n"
            "- Zur Startseite\n")
    article = clean_article(source_file("haushalt.txt", text))
    assert body_text(article, text) == text.split("\n- Die besten")[0]


@pytest.mark.parametrize("line", ["Anzeige wurde gegen Unbekannt erstattet.",
                                  "Teilen der Innenstadt waren bis Mitternacht gesperrt.",
                                  "Werbung für das Fest hatte die Stadt vor allem in sozialen Medien gemacht."])
def test_a_last_sentence_that_opens_with_a_marker_word_stays(line):
    text = "Einbruch in Bäckerei\nIn der Nacht zum Dienstag sind Unbekannte in eine Bäckerei eingestiegen.\n" + line
    article = clean_article(source_file("polizei.txt", text))
    assert body_text(article, text) == text
    assert clean_article(source_file("polizei.txt", text.replace(line, "Anzeige"))).segments[-1][1] < len(text) - 7


def test_a_header_that_the_site_repeats_above_every_article_is_left_out():
    header = "Pfalz-Kurier – Startseite\nPolitik > Ausland\nAbo | Login | Suche\n"
    bodies = {"a.txt": "Hubschrauber abgestürzt\nIm Norden Afghanistans ist ein Hubschrauber mit 21 Menschen an "
                       "Bord notgelandet.\n",
              "b.txt": "Senfgas eingesetzt\nBei Kämpfen in Syrien haben Aufständische nach Angaben von Experten "
                       "Senfgas eingesetzt.\n",
              "c.txt": "Wahl in Kanada\nDie Liberalen haben die Parlamentswahl in Kanada klar gewonnen.\n"}
    texts = {name: header + body for name, body in bodies.items()}
    articles, _ = clean_articles([source_file(name, text) for name, text in texts.items()])
    assert {a.source: (a.title, body_text(a, texts[a.source])) for a in articles} == {
        name: (body.split("\n")[0], body.strip()) for name, body in bodies.items()}


def test_one_line_that_two_articles_open_with_stays_as_their_subject():
    texts = {"a.txt": "Mexiko-Stadt\nMexiko-Stadt ist die Hauptstadt Mexikos und liegt auf 2.240 Metern Höhe.\n",
             "b.txt": "Mexiko-Stadt\nDie Stadt wurde 1325 von den Azteken als Tenochtitlan gegründet.\n"}
    articles, _ = clean_articles([source_file(name, text) for name, text in texts.items()])
    assert {a.source: a.title for a in articles} == {"a.txt": "Mexiko-Stadt", "b.txt": "Mexiko-Stadt"}


def test_a_sentence_that_opens_like_a_teaser_stays_and_a_teaser_goes():
    text = ("Forschungsanlage erzeugt Plasma\n"
            "In Greifswald hat die Anlage Wendelstein 7-X erstmals ein Plasma erzeugt.\n"
            "Lesen Sie auch: Warum die Kernfusion in Frankreich sich verzögert.\n"
            "Mehr zum Thema Finanzierung wollte das Institut nicht sagen.\n"
            "Lesen Sie auch: Kernfusion in Frankreich verzögert sich\n"
            "Anzeige.\n")
    body = body_text(clean_article(source_file("plasma.txt", text)), text)
    assert body == text.split("\nLesen")[0] + "\nMehr zum Thema Finanzierung wollte das Institut nicht sagen."


def test_four_versions_of_an_article_keep_their_bodies():
    """More than MAX_VERSIONS files hold their paragraphs, but all of them are versions of one article."""
    files, _ = load_articles(SEEDS)
    original = next(f for f in files if f.source.startswith("000_"))
    lines = original.text.split("\n")
    first = next(n for n, line in enumerate(lines) if len(line) > 150)
    last = original.text.split("\n- Die besten Bücher")[0].strip().splitlines()[-1]
    for n in (first, original.text.split("\n").index(last)):  # a word changed in the first or the last paragraph
        edited = lines.copy()
        edited[n] = edited[n].replace(" die ", " jene ", 1)
        copies = [source_file("a.txt", original.text), source_file("b.txt", original.text.replace("\n", "\r\n")),
                  source_file("c.txt", original.text + "\n"), source_file("d.txt", "\n".join(edited))]
        for article in clean_articles(copies)[0]:
            text = next(c.text for c in copies if c.source == article.source)
            body = body_text(article, text)
            assert lines[first][-60:] in body and body.rstrip().endswith(last[-40:])


def test_a_paragraph_two_reports_of_a_templated_site_share_stays_in_both():
    files, _ = load_articles(SEEDS)
    one = next(f for f in files if f.source.startswith("000_"))
    other = next(f for f in files if f.source.startswith("003_"))
    shared = one.text.split("\n- Die besten Bücher")[0].strip().splitlines()[-1]
    body_end = other.text.split("\n- Die besten Bücher")[0].rstrip()
    other = source_file("003x.txt", body_end + "\n" + shared + other.text[len(body_end):])
    for article in clean_articles([one, other])[0]:
        text = one.text if article.source == one.source else other.text
        assert body_text(article, text).rstrip().endswith(shared)


def test_a_sentence_more_than_three_articles_end_with_is_the_site_s():
    ending = "\nFolgen Sie uns auch auf Facebook und Instagram!\n"
    texts = {f"{n}.txt": f"Meldung {n}\nDie Feuerwehr rückte am {day} zu einem Einsatz in Speyer aus.{ending}"
             for n, day in enumerate(["Montag", "Dienstag", "Mittwoch", "Donnerstag"])}
    articles, _ = clean_articles([source_file(name, text) for name, text in texts.items()])
    assert all("Facebook" not in body_text(a, texts[a.source]) for a in articles) and len(articles) == 4


def test_paragraphs_a_follow_up_repeats_at_its_top_are_no_header():
    texts = {"bau.txt": "\n".join(FOLLOW_UP) + "\nDer Bau soll zwei Jahre dauern.\n",
             "nachtrag.txt": "\n".join(FOLLOW_UP) + "\nNachtrag: Am Mittwoch ist auf der Baustelle ein Kran "
                             "umgestürzt; verletzt wurde niemand.\n"}
    articles, _ = clean_articles([source_file(name, text) for name, text in texts.items()])
    assert {a.source: body_text(a, texts[a.source]) for a in articles} == {
        name: text.strip() for name, text in texts.items()}


def test_a_first_line_of_invisible_characters_is_no_title():
    text = "\u200b\u00ad\nBrand in Lagerhalle\nIn Oppau brannte am Sonntag eine Lagerhalle.\n"
    assert clean_article(source_file("brand.txt", text)).title == "Brand in Lagerhalle"


def test_the_headline_after_a_stand_alone_teaser_line_goes_and_a_sentence_after_it_stays():
    text = ("Kabul nach dem Anschlag\n"
            "In Kabul sind bei einem Anschlag auf ein Ministerium mindestens zwölf Menschen getötet worden.\n"
            "Lesen Sie auch:\n"
            "Taliban erobern Provinzhauptstadt Kundus zurück\n"
            "Die Regierung kündigte eine Untersuchung des Anschlags an.\n"
            "Mehr zum Thema\n"
            "Die Polizei nahm am Abend zwei Verdächtige fest.\n")
    body = body_text(clean_article(source_file("kabul.txt", text)), text)
    assert "Kundus" not in body and "Lesen Sie" not in body and "Mehr zum Thema" not in body
    assert "Untersuchung des Anschlags" in body and "zwei Verdächtige fest" in body
