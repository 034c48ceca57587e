# Tifli's public alert texts in Standard Moroccan Tamazight, in Tifinagh.
# To be reviewed by native translators before deployment.
# Variables: $name, $age, $sex (female, male, unknown), $place, $region, $date, $time,
# $description, $vehicle, $suspect, $message, $tip. Short texts must fit one SMS.

sender-name = ⵟⵉⴼⵍⵉ
age = { $age } ⵓⵙⴳⴳⵯⴰⵙ
child = { $sex ->
    [female] ⵜⴰⴼⵔⵓⵅⵜ
   *[other] ⴰⴼⵔⵓⵅ
}
missing = { $sex ->
    [female] ⵜⵖⴰⴱ
   *[other] ⵉⵖⴰⴱ
}

# Opens every text of a drill ("tirmit", a trial): to be confirmed by the translators.
exercise = ⵜⵉⵔⵎⵉⵜ:

headline-alert = ⴰⵍⵖⵓ: { child } { missing }: { $name }, { age }, { $place }
headline-update = ⴰⵙⵎⴰⵢⵏⵓ ⵏ ⵓⵍⵖⵓ: { $name }, { age }
headline-found = ⵉⴽⵎⵎⵍ ⵓⵍⵖⵓ: { $name } ⵉⵜⵜⵡⴰⴼⴰ
headline-resolved = ⵉⴽⵎⵎⵍ ⵓⵍⵖⵓ: { $name }
headline-withdrawn = ⵉⵜⵜⵓⴽⴽⵙ ⵓⵍⵖⵓ: { $name }
headline-expired = ⵉⴽⵎⵎⵍ ⵓⵍⵖⵓ: { $name }

long-alert = { $name }, { child }, { age }, ⵜⵜⵡⴰⵥⵕⴰ ⴰⵙⵙ { $date } ⴳ { $time } ⴳ { $place }. { $description }
long-vehicle = ⵜⴰⴽⴰⵕⵕⵓⵙⵜ: { $vehicle }.
long-suspect = ⴰⵎⵎⵓⵜⵀⴰⵎ: { $suspect }.
long-update = ⴰⵎⴰⵢⵏⵓ: { $message }
long-call = ⵎⴽ ⵜⵥⵕⴰⵎ { child }, ⵙⵉⵡⵍⴰⵜ ⵖⵔ ⵓⵟⵟⵓⵏ { $tip }.
long-found = { $name } ⵉⵜⵜⵡⴰⴼⴰ. ⵜⴰⵏⵎⵎⵉⵔⵜ ⵖⴼ ⵜⵡⵉⵙⵉ ⵏⵏⵓⵏ, ⵉⴽⵎⵎⵍ ⵓⵍⵖⵓ.
long-resolved = ⵉⴽⵎⵎⵍ ⵓⵍⵖⵓ ⵏ { $name }. ⵜⴰⵏⵎⵎⵉⵔⵜ ⵖⴼ ⵜⵡⵉⵙⵉ ⵏⵏⵓⵏ.
long-withdrawn = ⵉⵜⵜⵓⴽⴽⵙ ⵓⵍⵖⵓ ⵏ { $name }.
long-expired = ⵉⴽⵎⵎⵍ ⵓⵍⵖⵓ ⵏ { $name }.

short-alert = ⴰⵍⵖⵓ: { $name }, { age }, { $place }. ⵙⵉⵡⵍⴰⵜ ⵖⵔ { $tip }
short-update = ⴰⵙⵎⴰⵢⵏⵓ { $name }: { $message } ⵙⵉⵡⵍⴰⵜ ⵖⵔ { $tip }
short-found = { $name } ⵉⵜⵜⵡⴰⴼⴰ. ⵜⴰⵏⵎⵎⵉⵔⵜ.
short-resolved = ⵉⴽⵎⵎⵍ ⵓⵍⵖⵓ ⵏ { $name }. ⵜⴰⵏⵎⵎⵉⵔⵜ.
short-withdrawn = ⵉⵜⵜⵓⴽⴽⵙ ⵓⵍⵖⵓ ⵏ { $name }.
short-expired = ⵉⴽⵎⵎⵍ ⵓⵍⵖⵓ ⵏ { $name }.

instruction = ⵓⵔ ⵜⵜⴽⵛⵎⴰⵜ ⵙ ⵉⵅⴼ ⵏⵏⵓⵏ. ⵙⵉⵡⵍⴰⵜ ⵖⵔ ⵓⵟⵟⵓⵏ { $tip }.
area = { $place }, { $region }

region-MA-01 = ⵟⴰⵏⵊⴰ-ⵜⵉⵟⵟⴰⵡⵉⵏ-ⵍⵃⵓⵙⵉⵎⴰ
region-MA-02 = ⴰⴳⵎⵎⴰⴹ
region-MA-03 = ⴼⴰⵙ-ⵎⴽⵏⴰⵙ
region-MA-04 = ⵔⵔⴱⴰⵟ-ⵙⵍⴰ-ⵇⵏⵉⵟⵔⴰ
region-MA-05 = ⴰⵢⵜ ⵎⵍⵍⴰⵍ-ⵅⵏⵉⴼⵕⴰ
region-MA-06 = ⴰⵏⴼⴰ-ⵙⵟⵟⴰⵜ
region-MA-07 = ⵎⵕⵕⴰⴽⵛ-ⴰⵙⴼⵉ
region-MA-08 = ⴷⵔⵄⴰ-ⵜⴰⴼⵉⵍⴰⵍⵜ
region-MA-09 = ⵙⵓⵙ-ⵎⴰⵙⵙⴰ
region-MA-10 = ⴳⵍⵎⵉⵎ-ⵡⴰⴷ ⵏⵓⵏ
region-MA-11 = ⵍⵄⵢⵓⵏ-ⵙⴰⴳⵢⴰ ⵍⵃⵎⵕⴰ
region-MA-12 = ⴷⴷⴰⵅⵍⴰ-ⵡⴰⴷ ⴷⴷⴰⵀⴰⴱ

# The public alert page (GET /a/{id}): its labels, to be reviewed by native translators.
page-age = ⵉⵙⴳⴳⵯⴰⵙⵏ
page-description = ⴰⴳⵍⴰⵎ
page-last-seen = ⵜⵉⵣⵉ ⵜⴰⵏⴳⴳⴰⵔⵓⵜ ⵏ ⵜⵥⵕⵉ
page-vehicle = ⵜⴰⴽⴰⵕⵕⵓⵙⵜ
page-suspect = ⴰⵎⵎⵓⵜⵀⴰⵎ
page-news = ⴰⵎⴰⵢⵏⵓ
page-area = ⴰⵎⵏⴰⴹ ⵏ ⵓⵍⵖⵓ: { $radius } km
page-share = ⴱⴹⵓ ⴰⵍⵖⵓ ⴰ
page-languages = ⵖⵔ ⵙ
page-drill = ⵜⵉⵔⵎⵉⵜ: ⵓⵔ ⵉⴳⵉ ⴰⵍⵖⵓ ⵏ ⵜⵉⴷⵜ.
page-ended-found = ⴰⴼⵔⵓⵅ ⵉⵜⵜⵡⴰⴼⴰ. ⵜⴰⵏⵎⵎⵉⵔⵜ ⵖⴼ ⵜⵡⵉⵙⵉ ⵏⵏⵓⵏ.
page-ended = ⵉⴽⵎⵎⵍ ⵓⵍⵖⵓ ⴰ.
page-ended-at = ⵉⴽⵎⵎⵍ ⴰⵙⵙ { $date }
page-not-found = ⵓⵔ ⵉⵍⵍⵉ ⴽⵔⴰ ⵏ ⵓⵍⵖⵓ ⴳ ⵜⵏⵙⴰ ⴰ.
page-photo = ⵜⴰⵡⵍⴰⴼⵜ ⵏ { $name }
page-call = ⵙⵉⵡⵍⴰⵜ
page-sighting = ⵉⵙ ⵜⵥⵕⵉⵎ ⴰⴼⵔⵓⵅ ⴰ?
page-sighting-intro = ⵉⵏⵉⵜ ⵉ ⵍⴱⵓⵍⵉⵙ ⵎⴰⴷ ⵜⵥⵕⵉⵎ. ⵎⴽ ⵉⵍⵍⴰ ⵓⴼⵔⵓⵅ ⴳ ⵓⵙⵎⵓⵔⴽⵓ ⴷⵖⵉ, ⵙⵉⵡⵍⴰⵜ ⵖⵔ ⵓⵟⵟⵓⵏ ⵍⵍⵉ ⵉⵍⵍⴰⵏ ⴷⴰⵜ.
page-sighting-when = ⵎⵉⵏⴷ ⵜⵥⵕⵉⵎ?
page-sighting-now = ⴷⵖⵉ
page-sighting-minutes = { $n } ⵜⵓⵙⴷⵉⴷⵉⵏ
page-sighting-hours = { $n ->
    [one] ⵢⴰⵜ ⵜⵙⵔⴰⴳⵜ
   *[other] { $n } ⵜⵙⵔⴰⴳⵉⵏ
}
page-sighting-where = ⵎⴰⵏⵉ? (ⴰⴱⵔⵉⴷ, ⴰⴷⵖⴰⵔ, ⵜⴰⵎⴰⵜⴰⵔⵜ)
page-sighting-what = ⵎⴰⴷ ⵜⵥⵕⵉⵎ?
page-sighting-contact = ⵎⴰⵎⴽ ⵔⴰⴷ ⴽⵯⵏ ⵜⴰⵡⵉ ⵍⴱⵓⵍⵉⵙ? (ⵓⵔ ⵉⵍⵣⵎ)
page-sighting-send = ⴰⵣⵏⴰⵜ ⵉ ⵍⴱⵓⵍⵉⵙ
page-sighting-thanks = ⵜⴰⵏⵎⵎⵉⵔⵜ. ⵜⵟⵟⴼ ⵍⴱⵓⵍⵉⵙ ⵎⴰⴷ ⵜⵥⵕⵉⵎ.
page-sighting-check = ⵙⵙⵏⵇⴷⵜ ⴰⵏⴰⵔ ⴰ.
page-sighting-closed = ⵉⴽⵎⵎⵍ ⵓⵍⵖⵓ ⴰ: ⵓⵔ ⵉⵜⵜⴰⵎⵥ ⴰⵎⵢⴰ ⵜⵉⵥⵕⵉⵜⵉⵏ.
page-sighting-busy = ⵜⵜⵡⴰⵣⵏⴰⵏⵜ ⴰⵟⵟⴰⵙ ⵏ ⵜⵥⵕⵉⵜⵉⵏ. ⴰⵍⵙⴰⵜ ⴷⴼⴼⵉⵔ { $minutes } ⵜⵓⵙⴷⵉⴷⵉⵏ, ⵏⵖ ⵙⵉⵡⵍⴰⵜ ⵖⵔ ⵓⵟⵟⵓⵏ.
page-sighting-failed = ⵓⵔ ⵜⵜⵡⴰⵣⵏⴰ ⵜⵥⵕⵉⵜ ⵏⵏⵓⵏ. ⴰⵍⵙⴰⵜ, ⵏⵖ ⵙⵉⵡⵍⴰⵜ ⵖⵔ ⵓⵟⵟⵓⵏ.
page-sighting-back = ⴰⵖⵓⵍ ⵖⵔ ⵓⵍⵖⵓ

# The share card (card.png): its headline, and what comes before the tip line's number;
# to be reviewed by native translators.
card-missing = { child } { missing }
card-call = ⵎⴽ ⵜⵥⵕⴰⵎ { child }, ⵙⵉⵡⵍⴰⵜ ⵖⵔ ⵓⵟⵟⵓⵏ
