"""Embedded word lists for the synthetic county: names, streets, towns and providers.

Every list is our own, written for this generator (no external data set, no Faker), so the seed is
reproducible offline and no record resembles a real person. Given names are grouped by the decade
of birth in which they were common in England and Wales (popular-name tables, ONS "Baby names in
England and Wales", used only as a guide to period feel), so a 90-year-old is a Margaret or a
Harold and a 25-year-old an Emily or a Jack.
"""

from __future__ import annotations

# fmt: off
# Given names by birth cohort: (born up to, female names, male names).
GIVEN_NAMES_BY_COHORT: tuple[tuple[int, tuple[str, ...], tuple[str, ...]], ...] = (
    (
        1945,
        (
            "Margaret", "Joan", "Dorothy", "Doris", "Irene", "Joyce", "Edna", "Phyllis", "Iris",
            "Betty", "Eileen", "Kathleen", "Mary", "Elsie", "Winifred", "Gladys", "Vera", "Ivy",
            "Audrey", "Hilda", "Marjorie", "Violet", "Peggy", "Sylvia", "Olive", "Evelyn",
            "Mabel", "Ethel", "Lilian", "Florence", "Muriel", "Nora", "Beryl", "Enid", "Rita",
        ),
        (
            "John", "William", "George", "Kenneth", "Ronald", "Dennis", "Harold", "Arthur",
            "Albert", "Frederick", "Leonard", "Stanley", "Walter", "Ernest", "Sidney", "Eric",
            "Roy", "Raymond", "Peter", "Donald", "Alfred", "Frank", "Cyril", "Norman", "Reginald",
            "Gordon", "Douglas", "Bernard", "Cecil", "Herbert", "Percy", "Wilfred", "Leslie",
        ),
    ),
    (
        1960,
        (
            "Susan", "Linda", "Christine", "Margaret", "Janet", "Patricia", "Carol", "Elizabeth",
            "Mary", "Anne", "Sandra", "Jean", "Maureen", "Pauline", "Valerie", "Brenda", "Judith",
            "Gillian", "Barbara", "Shirley", "Ann", "Jennifer", "Sheila", "Wendy", "Rosemary",
            "Lynn", "Diane", "Marion", "Elaine", "Hazel", "Jacqueline", "Carole", "Heather",
        ),
        (
            "David", "John", "Michael", "Peter", "Robert", "Anthony", "Brian", "Alan", "William",
            "James", "Richard", "Kenneth", "Roger", "Keith", "Terence", "Graham", "Colin",
            "Christopher", "Barry", "Malcolm", "Geoffrey", "Trevor", "Derek", "Dennis", "Ian",
            "Stephen", "Clive", "Philip", "Raymond", "Tony", "Roy", "Martin", "Gerald",
        ),
    ),
    (
        1975,
        (
            "Susan", "Julie", "Karen", "Deborah", "Tracey", "Jacqueline", "Amanda", "Sarah",
            "Alison", "Nicola", "Helen", "Joanne", "Lisa", "Angela", "Dawn", "Caroline", "Sharon",
            "Michelle", "Kim", "Lorraine", "Andrea", "Catherine", "Claire", "Donna", "Beverley",
            "Joanna", "Tina", "Denise", "Paula", "Sally", "Teresa", "Fiona", "Jane",
        ),
        (
            "Mark", "Paul", "Andrew", "David", "Richard", "Stephen", "Ian", "Gary", "Steven",
            "Michael", "Peter", "Robert", "Simon", "Neil", "Kevin", "Martin", "Nigel", "Darren",
            "Jonathan", "Philip", "Anthony", "Christopher", "Timothy", "Jeremy", "Wayne", "Dean",
            "Shaun", "Lee", "Adrian", "Julian", "Russell", "Craig", "Carl",
        ),
    ),
    (
        1990,
        (
            "Sarah", "Claire", "Emma", "Laura", "Lisa", "Kelly", "Rebecca", "Nicola", "Gemma",
            "Rachel", "Michelle", "Louise", "Victoria", "Amy", "Stacey", "Natalie", "Hayley",
            "Samantha", "Katie", "Jodie", "Danielle", "Zoe", "Kirsty", "Leanne", "Joanne",
            "Charlotte", "Jennifer", "Lauren", "Kerry", "Hannah", "Stephanie", "Jade", "Sophie",
        ),
        (
            "Christopher", "Matthew", "James", "David", "Daniel", "Michael", "Andrew", "Paul",
            "Mark", "Richard", "Thomas", "Adam", "Robert", "Lee", "Craig", "Stephen", "Jonathan",
            "Ben", "Carl", "Gareth", "Ryan", "Simon", "Jamie", "Ashley", "Scott", "Darren",
            "Luke", "Stuart", "Kevin", "Liam", "Dean", "Anthony", "Nathan",
        ),
    ),
    (
        2100,
        (
            "Emily", "Jessica", "Sophie", "Chloe", "Lauren", "Hannah", "Charlotte", "Olivia",
            "Megan", "Amy", "Ellie", "Lucy", "Bethany", "Katie", "Rebecca", "Holly", "Georgia",
            "Emma", "Abigail", "Molly", "Grace", "Amelia", "Ella", "Jade", "Eleanor", "Shannon",
            "Caitlin", "Millie", "Evie", "Isabel", "Freya", "Niamh", "Paige",
        ),
        (
            "Jack", "Thomas", "James", "Joshua", "Daniel", "Harry", "Samuel", "Joseph", "Matthew",
            "Callum", "Luke", "William", "Lewis", "Oliver", "Ryan", "Benjamin", "George", "Liam",
            "Jordan", "Adam", "Alexander", "Jake", "Connor", "Cameron", "Nathan", "Kieran",
            "Charlie", "Ethan", "Mohammed", "Alfie", "Reece", "Dylan", "Tyler",
        ),
    ),
)

# Given names for people recorded in other ethnic groups (any cohort), by broad CLD group
# (the text before the colon). (female, male).
GIVEN_NAMES_BY_GROUP: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "Asian or Asian British": (
        (
            "Priya", "Anjali", "Sunita", "Fatima", "Aisha", "Nusrat", "Shazia", "Meena", "Rekha",
            "Parveen", "Ruksana", "Mei", "Ling", "Kavita", "Sabina", "Hina", "Yasmin", "Deepa",
        ),
        (
            "Mohammed", "Imran", "Rajesh", "Sanjay", "Arjun", "Tariq", "Asif", "Vikram", "Amit",
            "Kamal", "Wei", "Jun", "Abdul", "Hamza", "Ravi", "Sunil", "Faisal", "Nadeem",
        ),
    ),
    "Black, Black British, Caribbean or African": (
        (
            "Grace", "Blessing", "Precious", "Abena", "Adaeze", "Chipo", "Marcia", "Beverley",
            "Yvonne", "Comfort", "Amara", "Nia", "Esther", "Joy", "Ngozi", "Patience",
        ),
        (
            "Kwame", "Emmanuel", "Samuel", "Chinedu", "Tunde", "Delroy", "Winston", "Marcus",
            "Joseph", "Kofi", "Tendai", "Olu", "Desmond", "Clive", "Abdi", "Isaac",
        ),
    ),
    "White: Any other White background": (
        (
            "Agnieszka", "Katarzyna", "Anna", "Ewa", "Ioana", "Elena", "Maria", "Daiva",
            "Ilona", "Monika", "Natalia", "Joanna", "Lucia", "Sofia", "Kristina", "Zuzana",
        ),
        (
            "Piotr", "Tomasz", "Krzysztof", "Andrei", "Marius", "Jonas", "Pavel", "Mateusz",
            "Lukas", "Marco", "Dariusz", "Bogdan", "Aleksander", "Stefan", "Viktor", "Jan",
        ),
    ),
    "Other ethnic group": (
        (
            "Layla", "Mariam", "Noor", "Leila", "Sara", "Rana", "Hana", "Amira", "Dina", "Lina",
        ),
        (
            "Ahmed", "Omar", "Ali", "Hassan", "Karim", "Yusuf", "Khalid", "Samir", "Rami", "Ziad",
        ),
    ),
}

# Family names: common English names (weighted by repetition of the commonest) and a smaller
# set for other groups.
FAMILY_NAMES: tuple[str, ...] = (
    "Smith", "Smith", "Smith", "Jones", "Jones", "Taylor", "Taylor", "Brown", "Brown",
    "Williams", "Wilson", "Johnson", "Davies", "Robinson", "Wright", "Thompson", "Evans",
    "Walker", "White", "Roberts", "Green", "Hall", "Wood", "Jackson", "Clarke", "Harris",
    "Lewis", "Edwards", "Hughes", "Turner", "Hill", "Cooper", "Ward", "Moore", "King",
    "Baker", "Harrison", "Morgan", "Allen", "Clark", "Scott", "Young", "Mitchell", "Watson",
    "Phillips", "Martin", "Parker", "Lee", "Carter", "Bennett", "Shaw", "Cook", "Richardson",
    "Bailey", "Collins", "Bell", "Chapman", "Cox", "Adams", "Marshall", "Ellis", "Webb",
    "Simpson", "Wells", "Butler", "Stevens", "Russell", "Lloyd", "Palmer", "Mason", "Holmes",
    "Gray", "Rogers", "Murphy", "Graham", "Kelly", "Knight", "Cole", "Howard", "Fisher",
    "Barker", "Pearson", "Dixon", "Hunt", "Mills", "Gibson", "Fox", "Andrews", "Powell",
    "Griffiths", "Reynolds", "Payne", "Fletcher", "Lawrence", "Jenkins", "Spencer", "Day",
    "Rose", "Hudson", "Dawson", "Harvey", "Stone", "Lambert", "Armstrong", "Hart", "Ford",
    "Pearce", "Gardner", "Burton", "Gregory", "Saunders", "Warren", "Hodgson", "Hayes",
    "Newman", "Barnes", "Reid", "Hammond", "Wheeler", "Burrows", "Kemp", "Bishop", "Frost",
    "Sutton", "Barrett", "Osborne", "Fuller", "Goodwin", "Lowe", "Nicholls", "Read", "Hale",
    "Curtis", "Elliott", "Francis", "Holland", "Page", "Rowe", "Sharp", "Townsend", "Yates",
    "Bull", "Crane", "Drake", "Fenton", "Garrard", "Howes", "Larwood", "Loades", "Mayes",
    "Neave", "Platten", "Rix", "Sexton", "Thrower", "Woodhouse", "Bloomfield", "Carver",
    "Chilvers", "Dack", "Eke", "Futter", "Gotts", "Hewitt", "Jermy", "Keeble", "Leeder",
    "Moy", "Pegg", "Reeve", "Spink", "Tooley", "Utting", "Warnes", "O'Brien", "O'Neill",
    "Murray", "Kennedy", "Doyle", "McCarthy", "Walsh", "Byrne", "Ryan", "Quinn", "Nolan",
)
FAMILY_NAMES_BY_GROUP: dict[str, tuple[str, ...]] = {
    "Asian or Asian British": (
        "Patel", "Patel", "Khan", "Khan", "Ahmed", "Ali", "Hussain", "Begum", "Shah", "Singh",
        "Kaur", "Sharma", "Chowdhury", "Rahman", "Iqbal", "Chen", "Wong", "Li", "Mistry",
        "Gupta", "Akhtar", "Malik", "Bibi", "Choudhury",
    ),
    "Black, Black British, Caribbean or African": (
        "Okafor", "Mensah", "Adeyemi", "Campbell", "Brown", "Williams", "Okoro", "Osei",
        "Mohamed", "Boateng", "Francis", "Grant", "Bailey", "Clarke", "Asante", "Moyo",
    ),
    "White: Any other White background": (
        "Nowak", "Kowalski", "Wisniewski", "Popescu", "Kazlauskas", "Petrov", "Novak",
        "Horvath", "Rossi", "Silva", "Santos", "Ionescu", "Zielinski", "Jankowski",
    ),
    "Other ethnic group": (
        "Hassan", "Haddad", "Mansour", "Saleh", "Nasser", "Khalil", "Rashid", "Aziz",
    ),
}

# Short forms recorded as "also known as" (alias) names.
NICKNAMES: dict[str, str] = {
    "William": "Bill", "Robert": "Bob", "Margaret": "Peggy", "Elizabeth": "Betty",
    "Richard": "Dick", "Kenneth": "Ken", "Frederick": "Fred", "Albert": "Bert",
    "Patricia": "Pat", "Katherine": "Kate", "Christopher": "Chris", "Anthony": "Tony",
    "Michael": "Mick", "Susan": "Sue", "Dorothy": "Dot", "Edward": "Ted", "James": "Jim",
    "Joseph": "Joe", "Jennifer": "Jenny", "Samuel": "Sam", "Daniel": "Danny",
}

# Towns of the fictional county: (name, postcode district number, CMHT area, council locality).
TOWNS: tuple[tuple[str, int, str, str], ...] = (
    ("Kingsbury", 1, "East", "Central"),
    ("Kingsbury", 2, "East", "Central"),
    ("Kingsbury", 3, "West", "Central"),
    ("Castleford Regis", 4, "North", "North"),
    ("Ashcombe", 5, "North", "North"),
    ("Marlham", 6, "North", "North"),
    ("Holtby St Mary", 7, "North", "North"),
    ("Wendover Magna", 8, "East", "Central"),
    ("Bramcote", 9, "East", "Central"),
    ("Swanford", 10, "East", "South"),
    ("Eastmere", 11, "East", "South"),
    ("Thornbury Cross", 12, "South", "South"),
    ("Oakhampton Parva", 13, "South", "South"),
    ("Lydmouth", 14, "South", "South"),
    ("Fennick", 15, "West", "Central"),
    ("Hollowell", 16, "West", "North"),
    ("Stowbridge", 17, "West", "Central"),
    ("Redmarsh", 18, "South", "South"),
)

VILLAGES: tuple[str, ...] = (
    "Little Ashby", "Great Fenton", "Upper Moreton", "Nether Wallop Green", "Church Stanton",
    "Burnham Ridge", "Westacre", "Old Hythe", "Cley Marsh", "Saxby", "Thorpe End",
    "Hempnall Heath", "Brockley Green", "Mill End", "Long Sutton Row", "Kettlewell Common",
)

STREET_STEMS: tuple[str, ...] = (
    "Church", "Mill", "Station", "Manor", "Park", "Victoria", "Queens", "Kings", "School",
    "Orchard", "Meadow", "Chapel", "Market", "Bridge", "Common", "Elm", "Oak", "Beech",
    "Willow", "Chestnut", "Rectory", "Vicarage", "Nelson", "Wellington", "Priory", "Abbey",
    "Castle", "Tudor", "Windmill", "Harbour", "Cromer", "Hall", "Green", "Field", "Holly",
    "Hawthorn", "Rowan", "Larch", "Cedar", "Lime", "Poplar", "Sandringham", "Marsh",
    "Heath", "Saxon", "Norman", "Fenland", "Brook", "Spring", "Valley",
)
STREET_SUFFIXES: tuple[str, ...] = (
    "Road", "Road", "Lane", "Lane", "Street", "Close", "Close", "Avenue", "Way", "Drive",
    "Gardens", "Crescent", "Court", "Place", "Rise", "Walk",
)

# Letters the postcode inward code may use (ONS/Royal Mail format; see rules.postcode).
POSTCODE_UNIT_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
# "WX" is not a postcode area in use, so no synthetic postcode is a real address.
POSTCODE_AREA = "WX"

PROVIDER_WORDS: tuple[str, ...] = (
    "Willowbrook", "Meadowside", "Oakleigh", "Riverside", "Beechwood", "Harbourview",
    "Ashgrove", "Brambles", "Cedar Lodge", "Elmhurst", "Fairhaven", "Greenacres", "Hillcrest",
    "Kingfisher", "Lavender", "Maple", "Orchard", "Primrose", "Rosewood", "Sandpiper",
    "Southgate", "Sunrise", "Thornfield", "Windmill", "Woodlands", "Abbeyfield", "Bluebell",
    "Chestnut", "Dovecote", "Evergreen", "Foxglove", "Heathfield", "Juniper", "Larkrise",
    "Marsh View", "Nightingale", "Pinewood", "Poppyfield", "Saxon", "Swallow", "Wessex Vale",
)

GP_PRACTICE_PATTERNS: tuple[str, ...] = (
    "{town} Medical Centre", "{town} Surgery", "The {word} Practice", "{word} Health Centre",
    "{town} Family Practice", "{word} Surgery",
)
# fmt: on
