# Textes publics des alertes Tifli, en français.
# Variables : $name, $age, $sex (female, male, unknown), $place, $region, $date, $time,
# $description, $vehicle, $suspect, $message, $tip. Les textes courts tiennent dans un SMS.

sender-name = Tifli, Sûreté nationale
age = { $age ->
    [one] 1 an
   *[other] { $age } ans
}
child = { $sex ->
    [female] fille
    [male] garçon
   *[other] enfant
}
found = { $sex ->
    [female] retrouvée
   *[other] retrouvé
}

# Ouvre chaque texte d’un exercice.
exercise = EXERCICE:

headline-alert = Alerte enlèvement : { $name }, { age }, { $place }
headline-update = Mise à jour de l'alerte enlèvement : { $name }, { age }
headline-found = Fin d'alerte : { $name } a été { found }
headline-resolved = Fin d'alerte : { $name }
headline-withdrawn = Alerte retirée : { $name }
headline-expired = Fin d'alerte : { $name }

long-alert = { $name }, { child }, { age }, { $sex ->
    [female] vue
   *[other] vu
} pour la dernière fois le { $date } à { $time }, { $place }. { $description }
long-vehicle = Véhicule : { $vehicle }.
long-suspect = Suspect : { $suspect }.
long-update = Nouveau : { $message }
long-call = Si vous { $sex ->
    [female] la
   *[other] le
} voyez, appelez le { $tip }.
long-found = { $name } a été { found }. Merci de votre aide : l'alerte est terminée.
long-resolved = L'alerte concernant { $name } est terminée. Merci de votre aide.
long-withdrawn = La police a retiré l'alerte concernant { $name }.
long-expired = L'alerte concernant { $name } est terminée.

short-alert = ALERTE ENLEVEMENT : { $name }, { age }, { $place }. Appelez le { $tip }
short-update = ALERTE MISE A JOUR { $name } : { $message } Appelez le { $tip }
short-found = { $name } a été { found }. Merci.
short-resolved = Fin de l'alerte concernant { $name }. Merci.
short-withdrawn = L'alerte concernant { $name } a été retirée.
short-expired = Fin de l'alerte concernant { $name }.

instruction = N'intervenez pas vous-même. Appelez immédiatement le { $tip }.
area = { $place }, { $region }

region-MA-01 = Tanger-Tétouan-Al Hoceïma
region-MA-02 = Oriental
region-MA-03 = Fès-Meknès
region-MA-04 = Rabat-Salé-Kénitra
region-MA-05 = Béni Mellal-Khénifra
region-MA-06 = Casablanca-Settat
region-MA-07 = Marrakech-Safi
region-MA-08 = Drâa-Tafilalet
region-MA-09 = Souss-Massa
region-MA-10 = Guelmim-Oued Noun
region-MA-11 = Laâyoune-Sakia El Hamra
region-MA-12 = Dakhla-Oued Ed-Dahab

# La page publique d'une alerte (GET /a/{id}) : ses libellés. $radius en km, $date un jour.
page-age = Âge
page-description = Signalement
page-last-seen = Vu pour la dernière fois
page-vehicle = Véhicule
page-suspect = Suspect
page-news = Dernières nouvelles
page-area = Zone de l'alerte : { $radius } km autour du dernier lieu où l'enfant a été vu
page-share = Partager cette alerte
page-languages = Lire en
page-drill = EXERCICE : ceci n'est pas une vraie alerte.
page-ended-found = L'enfant a été retrouvé. Merci pour votre aide.
page-ended = Cette alerte est terminée.
page-ended-at = Terminée le { $date }
page-not-found = Aucune alerte à cette adresse.
page-photo = Photo de { $name }
page-call = Appeler
page-sighting = Avez-vous vu cet enfant ?
page-sighting-intro = Dites à la police ce que vous avez vu. Si l'enfant est en danger maintenant, appelez le numéro ci-dessus.
page-sighting-when = Il y a combien de temps l'avez-vous vu ?
page-sighting-now = À l'instant
page-sighting-minutes = Il y a environ { $n } minutes
page-sighting-hours = { $n ->
    [one] Il y a environ une heure
   *[other] Il y a environ { $n } heures
}
page-sighting-where = Où ? (une rue, un lieu, un repère)
page-sighting-what = Qu'avez-vous vu ?
page-sighting-contact = Comment la police peut-elle vous joindre ? (facultatif)
page-sighting-send = Envoyer à la police
page-sighting-thanks = Merci. La police a bien reçu votre signalement.
page-sighting-check = Vérifiez ce champ.
page-sighting-closed = Cette alerte est terminée : elle ne reçoit plus de signalements.
page-sighting-busy = Trop de signalements ont été envoyés. Réessayez dans { $minutes } min, ou appelez le numéro.
page-sighting-failed = Votre signalement n'a pas pu être envoyé. Réessayez, ou appelez le numéro.
page-sighting-back = Retour à l'alerte

# L'image de partage (card.png) que les réseaux sociaux montrent à côté d'un lien : son
# titre, et ce qui précède le numéro à appeler.
card-missing = { $sex ->
    [female] ENFANT DISPARUE
   *[other] ENFANT DISPARU
}
card-call = Si vous { $sex ->
    [female] la
   *[other] le
} voyez, appelez le
