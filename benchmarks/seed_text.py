"""What the seeded readers are called and what they write: names, and sentences by strategy,
in English and in Spanish.

A sentence is a lead, a claim and a tail, each from its language's lists:
"Frankly, " + "sharing intelligence violates nobody's sovereignty" + ", whatever
Washington says". Each bank of sentences (a language, and a strategy or the
discussion in general) is walked through its combinations in a scrambled but
fixed order (index * step mod size, the step prime to the size), so that no
sentence is written twice until every combination of every bank of the
language has been used: about 50,000 per language, enough for a 10,000-comment
seed with room to spare. Walking costs no random draws and little time.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from math import gcd

FIRST_NAMES = [
    ("Ana", "ana"), ("José", "jose"), ("María", "maria"), ("Luis", "luis"),
    ("Carmen", "carmen"), ("Jorge", "jorge"), ("Lucía", "lucia"), ("Miguel", "miguel"),
    ("Sofía", "sofia"), ("Diego", "diego"), ("Valeria", "valeria"), ("Andrés", "andres"),
    ("Fernanda", "fernanda"), ("Ricardo", "ricardo"), ("Paola", "paola"), ("Héctor", "hector"),
    ("Gabriela", "gabriela"), ("Raúl", "raul"), ("Ximena", "ximena"), ("Tomás", "tomas"),
    ("Sarah", "sarah"), ("James", "james"), ("Emily", "emily"), ("Michael", "michael"),
    ("Olivia", "olivia"), ("David", "david"), ("Grace", "grace"), ("Daniel", "daniel"),
    ("Hannah", "hannah"), ("Robert", "robert"), ("Priya", "priya"), ("Wei", "wei"),
    ("Amara", "amara"), ("Jonas", "jonas"), ("Inés", "ines"), ("Mateo", "mateo"),
]  # fmt: skip
LAST_NAMES = [
    ("García", "garcia"), ("Hernández", "hernandez"), ("López", "lopez"),
    ("Martínez", "martinez"), ("González", "gonzalez"), ("Pérez", "perez"),
    ("Rodríguez", "rodriguez"), ("Sánchez", "sanchez"), ("Ramírez", "ramirez"),
    ("Flores", "flores"), ("Torres", "torres"), ("Vargas", "vargas"), ("Castillo", "castillo"),
    ("Ortega", "ortega"), ("Núñez", "nunez"), ("Mendoza", "mendoza"), ("Smith", "smith"),
    ("Johnson", "johnson"), ("Brown", "brown"), ("Miller", "miller"), ("Davis", "davis"),
    ("Wilson", "wilson"), ("Anderson", "anderson"), ("Taylor", "taylor"), ("Moore", "moore"),
    ("Clark", "clark"), ("Nguyen", "nguyen"), ("Okafor", "okafor"), ("Schmidt", "schmidt"),
    ("Rossi", "rossi"),
]  # fmt: skip


# The claims, by the strategy they argue for; the keys are the slugs of the
# strategies the site ships with, so a proposal's tags match its text. Each
# claim reads as a sentence on its own and after any lead below.
CLAIMS: dict[str, dict[str, list[str]]] = {
    "en": {
        "intelligence-sharing": [
            "sharing intelligence in real time does more than any soldier could",
            "both countries already collect the data, and what is missing is trust in sharing it",
            "a joint intelligence cell under Mexican command would respect both sides",
            "sharing intelligence violates nobody's sovereignty",
            "the cartels move faster than our agencies because the agencies do not talk",
            "intelligence shared as equals beats drones flown without permission",
        ],
        "joint-investigations": [
            "joint teams with prosecutors from both countries build cases that hold",
            "the cartels work across the border, so the investigations have to as well",
            "extraditions only work when the evidence was gathered together from the start",
            "a shared prosecutor's office for cross-border cases would end the finger-pointing",
            "joint investigations let Mexico lead while the United States supports",
            "cases built together survive in court far more often than raids do",
        ],
        "police-and-courts": [
            "without honest local police, every other strategy fails on the ground",
            "funding the courts matters because impunity is what makes trafficking cheap",
            "training and decent salaries for police cost less than any military operation",
            "without independent judges, arrests achieve nothing",
            "most crimes in Mexico are never solved, and the cartels count on it",
            "a municipal police officer earning a fair wage is harder to buy",
        ],
        "economic-development": [
            "young people join the cartels when there is no other job in town",
            "investing in the regions the cartels recruit from means schools, roads and credit",
            "development is slow, but it is the only strategy that lasts",
            "a farmer who can sell his crop at a fair price has no reason to grow poppies",
            "every factory that opens in a poor state takes recruits away from the cartels",
            "scholarships reach the teenagers the cartels are waiting for",
        ],
        "demand-reduction": [
            "as long as the demand is in the United States, the supply will find a way",
            "treatment and public health at home would cut the cartels' income at the source",
            "Washington should spend on addiction what it spends on interdiction",
            "every addict who gets treatment is a customer the cartels lose",
            "the fentanyl crisis is first of all a public health emergency in American towns",
            "prevention in American schools would do more than any border wall",
        ],
        "precursor-chemicals": [
            "fentanyl starts with precursor chemicals, so the ports and shipments come first",
            "tracking the chemicals from the factories, before they reach a lab, is the real fight",
            "China has to be part of any agreement on precursors",
            "customs inspectors at Manzanillo and Lázaro Cárdenas need scanners and support",
            "a shared registry of chemical shipments would expose the labs' suppliers",
            "without the precursors, the labs in Sinaloa cannot produce anything",
        ],
        "anti-money-laundering": [
            "following the money and freezing the accounts is how the cartels lose their reach",
            "banks on both sides of the border still move cartel money with few questions",
            "seizing assets hurts the bosses more than arresting their soldiers",
            "money laundering happens in real estate and car dealerships in plain sight",
            "the financial units of both countries should share every suspicious transfer",
            "a cartel without clean money is just a gang with debts",
        ],
        "arms-trafficking": [
            "most of the cartels' weapons come from the north, and stopping them is a U.S. duty",
            "inspections of southbound traffic would save more lives than raids",
            "every rifle bought in Arizona and used in Michoacán is a shared responsibility",
            "gun shops near the border should face real checks on bulk buyers",
            "tracing seized weapons back to their sellers would shut down the pipelines",
            "the United States cannot ask Mexico to disarm the cartels while selling them guns",
        ],
        "anti-corruption": [
            "corruption is the cartels' real protection, starting with the officials who help them",
            "independent audits of police and customs would change more than new laws",
            "no strategy survives a mayor who is on the cartel's payroll",
            "public servants should publish their assets and explain every change",
            "the cartels buy silence more cheaply than they buy weapons",
            "judges and prosecutors who resist bribes need protection, not speeches",
        ],
        "military-action": [
            "some cartels are armies now, and only a military answer matches them",
            "foreign troops would unite Mexicans against them, not against the cartels",
            "military operations have been tried for years, and the violence only grew",
            "the army can hold territory, but it cannot build trust",
            "strikes ordered from Washington would be a gift to cartel propaganda",
            "every soldier on the streets is one less investigator in the prosecutor's office",
        ],
        "": [
            "sovereignty is not an obstacle to cooperation but its condition",
            "any strategy has to be judged by whether violence actually goes down",
            "we have heard these promises before, from both governments",
            "the relationship is at a turning point, as the article says",
            "cooperation between equals is possible, but it has to be written down and verified",
            "what people in Sinaloa want first is safety",
            "none of this works without measuring results and publishing them",
            "public opinion on both sides matters more than the politicians admit",
            "cooperation is welcome, but intervention is not",
            "it is not one strategy but the combination that counts",
            "the history of the nineteenth century still shapes how Mexicans hear these threats",
            "a policy announced on television is not a strategy",
            "the victims' families deserve to be heard before any decision",
            "border towns pay the price for decisions made in distant capitals",
            "trust between the two governments is built one agreement at a time",
            "the next few months will show whether anyone is listening",
        ],
    },
    "es": {
        "intelligence-sharing": [
            "compartir inteligencia en tiempo real sirve más que cualquier soldado",
            "los dos países ya recopilan los datos, y lo que falta es confianza para compartirlos",
            "una célula conjunta de inteligencia bajo mando mexicano respetaría a ambas partes",
            "intercambiar inteligencia no viola la soberanía de nadie",
            "los cárteles se mueven más rápido que nuestras agencias porque ellas no se hablan",
            "la inteligencia compartida entre iguales vale más que drones volando sin permiso",
        ],
        "joint-investigations": [
            "los equipos conjuntos, con fiscales de ambos países, arman casos que sí se sostienen",
            "los cárteles operan a través de la frontera, así que las investigaciones también",
            "las extradiciones solo funcionan con pruebas reunidas en conjunto desde el inicio",
            "una fiscalía compartida para casos transfronterizos acabaría con los reproches mutuos",
            "las investigaciones conjuntas permiten que México encabece y Estados Unidos apoye",
            "los casos armados en conjunto resisten en tribunales mucho más que los operativos",
        ],
        "police-and-courts": [
            "sin policías locales honestos, cualquier otra estrategia fracasa en el terreno",
            "financiar a los tribunales importa porque la impunidad abarata el narcotráfico",
            "capacitar a la policía y pagarle bien cuesta menos que un operativo militar",
            "sin jueces independientes, las detenciones no sirven de nada",
            "casi ningún delito en México se resuelve, y los cárteles cuentan con eso",
            "un policía municipal con un sueldo justo es más difícil de comprar",
        ],
        "economic-development": [
            "los jóvenes se unen a los cárteles cuando no hay otro trabajo en el pueblo",
            "invertir donde reclutan los cárteles significa escuelas, caminos y crédito",
            "el desarrollo es lento, pero es la única estrategia que perdura",
            "un campesino que vende su cosecha a precio justo no tiene por qué sembrar amapola",
            "cada fábrica que abre en un estado pobre le quita reclutas a los cárteles",
            "las becas llegan a los adolescentes a los que esperan los cárteles",
        ],
        "demand-reduction": [
            "mientras la demanda esté en Estados Unidos, la oferta encontrará la manera",
            "el tratamiento y la salud pública allá cortarían de raíz los ingresos de los cárteles",
            "Washington debería gastar en adicciones lo que gasta en interdicción",
            "cada adicto que recibe tratamiento es un cliente que pierden los cárteles",
            "la crisis del fentanilo es ante todo una emergencia de salud pública allá",
            "la prevención en las escuelas estadounidenses haría más que cualquier muro",
        ],
        "precursor-chemicals": [
            "el fentanilo empieza con precursores químicos, así que hay que actuar en los puertos",
            "rastrear los químicos desde las fábricas, antes de llegar a un laboratorio, es clave",
            "China tiene que ser parte de cualquier acuerdo sobre precursores",
            "los aduaneros de Manzanillo y Lázaro Cárdenas necesitan escáneres y respaldo",
            "un registro compartido de envíos químicos exhibiría a quienes surten los laboratorios",
            "sin los precursores, los laboratorios de Sinaloa no pueden producir nada",
        ],
        "anti-money-laundering": [
            "seguir el dinero y congelar las cuentas es como los cárteles pierden su alcance",
            "los bancos de ambos lados todavía mueven dinero del narco sin muchas preguntas",
            "decomisar bienes les duele más a los jefes que detener a sus soldados",
            "el lavado de dinero ocurre a plena vista en bienes raíces y agencias de autos",
            "las unidades financieras de ambos países deberían compartir cada envío sospechoso",
            "un cártel sin dinero limpio es solo una banda con deudas",
        ],
        "arms-trafficking": [
            "casi todas las armas del narco vienen del norte, y detenerlas le toca a Washington",
            "revisar el tráfico hacia el sur salvaría más vidas que los operativos",
            "cada rifle comprado en Arizona y usado en Michoacán es una responsabilidad compartida",
            "las armerías de la frontera deberían revisar de verdad a quien compra al mayoreo",
            "rastrear las armas decomisadas hasta quien las vendió cerraría las rutas",
            "Washington no puede pedir que México desarme a los cárteles mientras les vende armas",
        ],
        "anti-corruption": [
            "la corrupción es el verdadero escudo de los cárteles, empezando por sus funcionarios",
            "auditar a fondo a la policía y a las aduanas cambiaría más que las nuevas leyes",
            "ninguna estrategia sobrevive a un alcalde que está en la nómina del cártel",
            "los servidores públicos deberían publicar su patrimonio y explicar cada cambio",
            "a los cárteles les sale más barato comprar silencio que comprar armas",
            "los jueces y fiscales que resisten los sobornos necesitan protección, no discursos",
        ],
        "military-action": [
            "algunos cárteles ya son ejércitos, y solo una respuesta militar está a su altura",
            "las tropas extranjeras unirían a los mexicanos contra ellas, no contra los cárteles",
            "los operativos militares se han intentado durante años, y la violencia solo creció",
            "el ejército puede controlar territorio, pero no puede construir confianza",
            "los ataques ordenados desde Washington serían un regalo para la propaganda del narco",
            "cada soldado en las calles es un investigador menos en la fiscalía",
        ],
        "": [
            "la soberanía no es un obstáculo para la cooperación, sino su condición",
            "cualquier estrategia debe juzgarse por si la violencia realmente disminuye",
            "ya hemos escuchado estas promesas antes, de ambos gobiernos",
            "la relación está en un punto de quiebre, como dice el artículo",
            "la cooperación entre iguales es posible, pero tiene que quedar por escrito",
            "lo primero que quiere la gente en Sinaloa es seguridad",
            "nada de esto funciona sin medir los resultados y publicarlos",
            "la opinión pública de ambos lados importa más de lo que admiten los políticos",
            "la cooperación sí, la intervención no",
            "no es una sola estrategia, sino la combinación, lo que cuenta",
            "la historia del siglo XIX todavía marca cómo escuchamos estas amenazas",
            "una política anunciada en televisión no es una estrategia",
            "las familias de las víctimas merecen ser escuchadas antes de cualquier decisión",
            "los pueblos fronterizos pagan el precio de decisiones tomadas en capitales lejanas",
            "la confianza entre los dos gobiernos se construye acuerdo por acuerdo",
            "los próximos meses dirán si alguien está escuchando",
        ],
    },
}
# What may come before a claim ("" for nothing), and after it.
LEADS = {
    "en": [
        "", "In my view, ", "Frankly, ", "Honestly, ", "From where I live, ",
        "As a teacher in Monterrey, I can say that ", "To be fair, ",
        "After years of reading about this, I think ", "Let us be clear: ",
        "My uncle was a police officer, and he always said ", "Put simply, ",
        "Whatever the politicians say, ", "In the end, ",
        "Living near the border, I have learned that ",
        "If history teaches anything, it is that ", "I keep coming back to this: ",
        "Speaking as a nurse in Texas, ", "The way I see it, ", "Above all, ",
        "Most people I know agree that ",
    ],
    "es": [
        "", "En mi opinión, ", "Francamente, ", "Siendo honestos, ", "Desde donde vivo, ",
        "Como maestra en Monterrey, puedo decir que ", "Para ser justos, ",
        "Después de años de leer sobre esto, creo que ", "Hay que decirlo claro: ",
        "Mi tío fue policía y siempre decía que ", "Dicho de forma sencilla, ",
        "Digan lo que digan los políticos, ", "Al final, ",
        "Viviendo cerca de la frontera, he aprendido que ",
        "Si la historia enseña algo, es que ", "Siempre vuelvo a lo mismo: ",
        "Como enfermera en Chihuahua, ", "Tal como yo lo veo, ", "Sobre todo, ",
        "Casi todos los que conozco están de acuerdo en que ",
    ],
}  # fmt: skip
TAILS = {
    "en": [
        "", ", as far as I can tell", ", and the numbers back it up", ", whatever Washington says",
        ", and everyone in my town knows it", ", though few politicians will say so",
        ", and it has been true for decades", " on both sides of the border",
        ", at least in my experience", ", and that is not a small thing",
        ", even if it takes years",
        ", and the article says as much", ", in Mexico as much as in the United States",
        ", if we are honest", ", and I say this with respect", ", which is why sovereignty matters",
        ", and the evidence keeps growing", ", more than any speech could show",
        ", no matter who governs", ", and we should say it plainly",
    ],
    "es": [
        "", ", hasta donde yo sé", ", y los números lo confirman", ", diga lo que diga Washington",
        ", y en mi pueblo todos lo saben", ", aunque pocos políticos lo admitan",
        ", y así ha sido durante décadas", " a ambos lados de la frontera",
        ", por lo menos en mi experiencia", ", y eso no es poca cosa", ", aunque tome años",
        ", como bien dice el artículo", ", tanto en México como en Estados Unidos",
        ", si somos honestos", ", y lo digo con todo respeto", ", y por eso importa la soberanía",
        ", y las pruebas siguen creciendo", ", más de lo que cualquier discurso puede mostrar",
        ", gobierne quien gobierne", ", y hay que decirlo sin rodeos",
    ],
}  # fmt: skip
# How a reply's first sentence starts: it answers someone.
REPLY_LEADS = {
    "en": [
        "I agree with you: ", "Respectfully, I see it differently: ", "That is a fair point, but ",
        "Exactly, and ", "I used to think otherwise, but now I believe ", "Not quite: ",
        "You are right that ", "I would add that ", "With respect, ", "Good point, and ",
        "I disagree, because ", "Thank you for saying it: ", "Yes, and also ",
        "Maybe, but remember that ",
    ],
    "es": [
        "Estoy de acuerdo contigo: ", "Con respeto, lo veo distinto: ", "Es un buen punto, pero ",
        "Exacto, y ", "Antes pensaba otra cosa, pero ahora creo que ", "No del todo: ",
        "Tienes razón en que ", "Yo agregaría que ", "Con todo respeto, ", "Buen punto, y ",
        "No estoy de acuerdo, porque ", "Gracias por decirlo: ", "Sí, y además ",
        "Puede ser, pero recuerda que ",
    ],
}  # fmt: skip
THEME_WEIGHTS = {
    "intelligence-sharing": 9,
    "joint-investigations": 6,
    "police-and-courts": 8,
    "economic-development": 7,
    "demand-reduction": 8,
    "precursor-chemicals": 4,
    "anti-money-laundering": 7,
    "arms-trafficking": 5,
    "anti-corruption": 8,
    "military-action": 3,
}
LANGUAGES = tuple(CLAIMS)
GENERAL = ""


class _Bank:
    """The sentences of one language and theme, each written once, in a scrambled fixed order."""

    __slots__ = ("claims", "leads", "next", "size", "step", "tails")

    def __init__(self, leads: Sequence[str], claims: Sequence[str], tails: Sequence[str]):
        self.leads, self.claims, self.tails = leads, claims, tails
        self.size = len(leads) * len(claims) * len(tails)
        # A step prime to the size visits every combination once; a large one
        # changes the lead, the claim and the tail from one sentence to the next.
        step = self.size * 5 // 8 + 1
        while gcd(step, self.size) != 1:
            step += 1
        self.step = step
        self.next = 0

    @property
    def exhausted(self) -> bool:
        return self.next >= self.size

    def sentence(self) -> str:
        index = self.next * self.step % self.size
        self.next += 1
        leads, claims = len(self.leads), len(self.claims)
        lead = self.leads[index % leads]
        claim = self.claims[index // leads % claims]
        tail = self.tails[index // (leads * claims)]
        text = f"{lead}{claim}{tail}."
        return text if lead else text[0].upper() + text[1:]


class Writer:
    """What the seeded readers write, each comment in its language, no sentence twice."""

    def __init__(self) -> None:
        self._banks: dict[tuple[str, bool, str], _Bank] = {}
        # The banks of each language and kind that may still have sentences,
        # in a fixed order: a theme that ran out borrows from the first of them.
        self._open: dict[tuple[str, bool], list[_Bank]] = {}
        for language, themes in CLAIMS.items():
            for reply in (False, True):
                leads = REPLY_LEADS[language] if reply else LEADS[language]
                banks = [_Bank(leads, claims, TAILS[language]) for claims in themes.values()]
                self._banks.update(zip(((language, reply, t) for t in themes), banks, strict=True))
                self._open[language, reply] = banks

    def sentence(self, language: str, theme: str, *, reply: bool = False) -> str:
        bank = self._banks[language, reply, theme]
        if bank.exhausted:
            open_banks = self._open[language, reply]
            while open_banks and open_banks[0].exhausted:
                del open_banks[0]
            if not open_banks:
                # Every sentence of the language was written: a new round repeats them.
                open_banks.extend(
                    other for (code, answers, _t), other in self._banks.items()
                    if (code, answers) == (language, reply)
                )  # fmt: skip
                for other in open_banks:
                    other.next = 0
            bank = bank if not bank.exhausted else open_banks[0]
        return bank.sentence()

    def comment_body(
        self, rng: random.Random, language: str, themes: Sequence[str], *, reply: bool
    ) -> str:
        """Sentences about `themes` (or the discussion in general) in `language`, in short
        paragraphs; a reply opens by answering."""
        # Two sentences on average, as long together as the three shorter ones
        # of earlier seeds: pages weigh what they weighed.
        count = 1 + min(int(rng.expovariate(1 / 1.0)), 8)
        if rng.random() < 0.02:
            count = rng.randint(8, 16)  # the occasional essay
        sentences = []
        for position in range(count):
            theme = rng.choice(themes) if themes and rng.random() < 0.7 else GENERAL
            sentences.append(self.sentence(language, theme, reply=reply and position == 0))
        paragraphs = []
        while sentences:
            size = rng.randint(1, 4)
            paragraphs.append(" ".join(sentences[:size]))
            del sentences[:size]
        return "\n\n".join(paragraphs)
