# Tifli's public alert texts, in English.
# Variables: $name, $age, $sex (female, male, unknown), $place, $region, $date, $time,
# $description, $vehicle, $suspect, $message, $tip. Short texts must fit one SMS.

sender-name = Tifli, national police
age = { $age ->
    [one] 1 year old
   *[other] { $age } years old
}
child = { $sex ->
    [female] girl
    [male] boy
   *[other] child
}

# Opens every text of a drill.
exercise = EXERCISE:

headline-alert = Child abduction alert: { $name }, { age }, { $place }
headline-update = Update, child abduction alert: { $name }, { age }
headline-found = Alert ended: { $name } has been found
headline-resolved = Alert ended: { $name }
headline-withdrawn = Alert withdrawn: { $name }
headline-expired = Alert ended: { $name }

long-alert = { $name }, { child }, { age }, last seen on { $date } at { $time } in { $place }. { $description }
long-vehicle = Vehicle: { $vehicle }.
long-suspect = Suspect: { $suspect }.
long-update = New: { $message }
long-call = If you see { $sex ->
    [female] her
    [male] him
   *[other] the child
}, call { $tip }.
long-found = { $name } has been found. Thank you for your help: the alert has ended.
long-resolved = The alert for { $name } has ended. Thank you for your help.
long-withdrawn = The police have withdrawn the alert for { $name }.
long-expired = The alert for { $name } has ended.

short-alert = CHILD ABDUCTION ALERT: { $name }, { $age }, { $place }. Call { $tip }
short-update = ALERT UPDATE { $name }: { $message } Call { $tip }
short-found = { $name } has been found. Thank you.
short-resolved = The alert for { $name } has ended. Thank you.
short-withdrawn = The alert for { $name } has been withdrawn.
short-expired = The alert for { $name } has ended.

instruction = Do not intervene yourself. Call { $tip } at once.
area = { $place }, { $region }

region-MA-01 = Tanger-Tetouan-Al Hoceima
region-MA-02 = Oriental
region-MA-03 = Fes-Meknes
region-MA-04 = Rabat-Sale-Kenitra
region-MA-05 = Beni Mellal-Khenifra
region-MA-06 = Casablanca-Settat
region-MA-07 = Marrakesh-Safi
region-MA-08 = Draa-Tafilalet
region-MA-09 = Souss-Massa
region-MA-10 = Guelmim-Oued Noun
region-MA-11 = Laayoune-Sakia El Hamra
region-MA-12 = Dakhla-Oued Ed-Dahab

# The public alert page (GET /a/{id}): its labels. $radius in km, $date a day.
page-age = Age
page-description = Description
page-last-seen = Last seen
page-vehicle = Vehicle
page-suspect = Suspect
page-news = Latest news
page-area = Where the alert is sent: within { $radius } km of the last sighting
page-share = Share this alert
page-languages = Read in
page-drill = EXERCISE: a drill, not a real alert.
page-ended-found = The child has been found. Thank you for your help.
page-ended = This alert has ended.
page-ended-at = Ended on { $date }
page-not-found = There is no alert at this address.
page-photo = Photo of { $name }
page-call = Call
page-sighting = Have you seen this child?
page-sighting-intro = Tell the police what you saw. If the child is in danger now, call the number above.
page-sighting-when = How long ago did you see them?
page-sighting-now = Just now
page-sighting-minutes = About { $n } minutes ago
page-sighting-hours = { $n ->
    [one] About an hour ago
   *[other] About { $n } hours ago
}
page-sighting-where = Where? (a street, a place, a landmark)
page-sighting-what = What did you see?
page-sighting-contact = How can the police reach you? (optional)
page-sighting-send = Send to the police
page-sighting-thanks = Thank you. The police received what you saw.
page-sighting-check = Please check this field.
page-sighting-closed = This alert has ended: it takes no more sightings.
page-sighting-busy = Too many sightings were sent. Please try again in { $minutes } min, or call the number.
page-sighting-failed = Your sighting could not be sent. Please try again, or call the number.
page-sighting-back = Back to the alert

# The share card (card.png) social networks show beside a shared link: its headline,
# and what comes before the tip line's number.
card-missing = { $sex ->
    [female] MISSING GIRL
    [male] MISSING BOY
   *[other] MISSING CHILD
}
card-call = If you see { $sex ->
    [female] her
    [male] him
   *[other] this child
}, call
