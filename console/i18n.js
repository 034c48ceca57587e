// The console's words, in the three languages officers use. Arabic is written right to
// left: `dir` follows the language.
export const LANGUAGES = { en: "ltr", fr: "ltr", ar: "rtl" };

export const WORDS = {
  en: {
    choose_region: "Choose the region",
    show_more: "Show more",
    sightings: "Sightings from the public", no_sightings: "No sightings yet.", contact: "Contact", received: "Received",
    whole_map: "Whole country",
    language: "Language", signin: "Sign in", signin_as: "Sign in as", signout: "Sign out",
    demo_identities: "Demo identities (local stack only)", officers: "officer", supervisors: "supervisor",
    queue: "Review queue", active: "Active alerts", empty_queue: "No report is waiting for review.",
    empty_active: "No alert is active.", waiting: "waiting", minutes: "min", hours: "h",
    child: "Child", age: "Age", last_seen: "Last seen", region: "Region", place: "Place",
    history: "History", version: "Version", status: "Status", open: "Open",
    preview: "Preview what will go out", approve: "Approve", reject: "Reject", reason: "Reason",
    override_reason: "Why approve although a criterion is not met",
    criteria_unmet: "Activation criteria not met", sms: "SMS", segments: "segments",
    short_text: "Short text", long_text: "Long text", cap: "CAP message", circle: "Circle",
    radius_now: "radius now", radius_max: "at most", expires: "Ends", time_left: "time left",
    stale: "Someone changed this report: reload it before acting.", reload: "Reload",
    done: "Done.", failed: "Refused", back: "Back to the queue", identifier: "Identifier",
    update: "Publish an update", message: "Message", resolve: "Child found", note: "Note",
    expired: "Your session expired: sign in again.", signin_failed: "Sign-in failed: try again.",
    file_report: "File a report", file: "File the report", filed: "Report filed.",
    name: "Name", sex: "Sex", female: "female", male: "male", unknown: "unknown", description: "Description",
    photo_url: "Photo address (https)", photo_consent: "The family consents to publishing the photo",
    when: "When (your local time)", latitude: "Latitude", longitude: "Longitude",
    map_label: "Map of the regions: click to place the last sighting",
    map_hint: "Click the map where the child was last seen: the point is placed and the map zooms to its region; click again to place it more closely. Or type the coordinates.",
    no_region: "This point lies in no region: check it.",
    circumstances: "Circumstances (never published)", narrative: "What happened", vehicle: "Vehicle", suspect: "Suspect",
    criteria: "Activation criteria", abduction_suspected: "Abduction suspected",
    risk_of_serious_harm: "Risk of serious harm", sufficient_description: "Description sufficient to act on",
    registered_in_national_database: "Registered in the national database",
    the_alert: "The alert", tip_line: "Tip line", languages: "Languages", exercise: "Drill (exercise), never a real alert",
    exercise_short: "drill", radius_next: "next", in: "in", radius_ceiling: "at its largest",
    reported_by: "Filed by", assigned: "Officers on the case", extend: "Extend", hours_more: "Hours more",
    cancel: "Withdraw the alert", assign: "Put an officer on the case", officer: "Officer (user id)",
    status_pending_review: "waiting for review", status_active: "active", status_rejected: "rejected",
    status_resolved: "found, ended", status_cancelled: "withdrawn", status_expired: "expired", status_lapsed: "lapsed",
    did_file: "filed", did_approve: "approved", did_reject: "rejected", did_update: "updated", did_extend: "extended",
    did_widen: "widened", did_resolve: "resolved", did_cancel: "withdrew", did_expire: "expired",
    did_assign: "assigned", did_lapse: "lapsed",
  },
  fr: {
    choose_region: "Choisir la région",
    show_more: "Afficher la suite",
    sightings: "Signalements du public", no_sightings: "Aucun signalement pour l'instant.", contact: "Contact", received: "Reçu le",
    whole_map: "Tout le pays",
    language: "Langue", signin: "Connexion", signin_as: "Se connecter en tant que", signout: "Déconnexion",
    demo_identities: "Identités de démonstration (pile locale)", officers: "officier", supervisors: "superviseur",
    queue: "File de validation", active: "Alertes actives", empty_queue: "Aucun signalement en attente.",
    empty_active: "Aucune alerte active.", waiting: "en attente", minutes: "min", hours: "h",
    child: "Enfant", age: "Âge", last_seen: "Vu pour la dernière fois", region: "Région", place: "Lieu",
    history: "Historique", version: "Version", status: "Statut", open: "Ouvrir",
    preview: "Voir ce qui sera diffusé", approve: "Approuver", reject: "Rejeter", reason: "Motif",
    override_reason: "Pourquoi approuver malgré un critère non rempli",
    criteria_unmet: "Critères d'activation non remplis", sms: "SMS", segments: "segments",
    short_text: "Texte court", long_text: "Texte long", cap: "Message CAP", circle: "Cercle",
    radius_now: "rayon actuel", radius_max: "au plus", expires: "Fin", time_left: "temps restant",
    stale: "Quelqu'un a modifié ce signalement : rechargez-le avant d'agir.", reload: "Recharger",
    done: "Fait.", failed: "Refusé", back: "Retour à la file", identifier: "Identifiant",
    update: "Publier une mise à jour", message: "Message", resolve: "Enfant retrouvé", note: "Note",
    expired: "Votre session a expiré : reconnectez-vous.", signin_failed: "Connexion échouée : réessayez.",
    file_report: "Signaler une disparition", file: "Déposer le signalement", filed: "Signalement déposé.",
    name: "Nom", sex: "Sexe", female: "fille", male: "garçon", unknown: "inconnu", description: "Signalement physique",
    photo_url: "Adresse de la photo (https)", photo_consent: "La famille consent à la publication de la photo",
    when: "Quand (heure locale)", latitude: "Latitude", longitude: "Longitude",
    map_label: "Carte des régions : cliquez pour placer la dernière observation",
    map_hint: "Cliquez sur la carte là où l'enfant a été vu pour la dernière fois : le point est placé et la carte agrandit sa région ; cliquez encore pour le placer plus précisément. Ou saisissez les coordonnées.",
    no_region: "Ce point n'est dans aucune région : vérifiez-le.",
    circumstances: "Circonstances (jamais publiées)", narrative: "Ce qui s'est passé", vehicle: "Véhicule", suspect: "Suspect",
    criteria: "Critères d'activation", abduction_suspected: "Enlèvement soupçonné",
    risk_of_serious_harm: "Risque de préjudice grave", sufficient_description: "Signalement suffisant pour agir",
    registered_in_national_database: "Inscrit au fichier national",
    the_alert: "L'alerte", tip_line: "Numéro d'appel", languages: "Langues", exercise: "Exercice, jamais une vraie alerte",
    exercise_short: "exercice", radius_next: "ensuite", in: "dans", radius_ceiling: "à son maximum",
    reported_by: "Déposé par", assigned: "Officiers sur l'affaire", extend: "Prolonger", hours_more: "Heures de plus",
    cancel: "Retirer l'alerte", assign: "Affecter un officier", officer: "Officier (identifiant)",
    status_pending_review: "en attente de validation", status_active: "active", status_rejected: "rejeté",
    status_resolved: "retrouvé, terminée", status_cancelled: "retirée", status_expired: "expirée", status_lapsed: "caduc",
    did_file: "déposé", did_approve: "approuvé", did_reject: "rejeté", did_update: "mis à jour", did_extend: "prolongé",
    did_widen: "élargi", did_resolve: "clos", did_cancel: "retiré", did_expire: "expiré",
    did_assign: "affecté", did_lapse: "caduc",
  },
  ar: {
    choose_region: "اختر الجهة",
    show_more: "عرض المزيد",
    sightings: "مشاهدات المواطنين", no_sightings: "لا توجد مشاهدات بعد.", contact: "للتواصل", received: "وصلت في",
    whole_map: "البلد كله",
    language: "اللغة", signin: "تسجيل الدخول", signin_as: "الدخول باسم", signout: "تسجيل الخروج",
    demo_identities: "هويات تجريبية (المنصة المحلية فقط)", officers: "ضابط", supervisors: "مشرف",
    queue: "قائمة المراجعة", active: "الإنذارات النشطة", empty_queue: "لا يوجد بلاغ في انتظار المراجعة.",
    empty_active: "لا يوجد إنذار نشط.", waiting: "في الانتظار", minutes: "د", hours: "س",
    child: "الطفل", age: "العمر", last_seen: "آخر مشاهدة", region: "الجهة", place: "المكان",
    history: "السجل", version: "النسخة", status: "الحالة", open: "فتح",
    preview: "معاينة ما سيُنشر", approve: "الموافقة", reject: "الرفض", reason: "السبب",
    override_reason: "سبب الموافقة رغم عدم استيفاء معيار",
    criteria_unmet: "معايير التفعيل غير المستوفاة", sms: "رسالة قصيرة", segments: "أجزاء",
    short_text: "النص القصير", long_text: "النص الطويل", cap: "رسالة CAP", circle: "الدائرة",
    radius_now: "الشعاع الحالي", radius_max: "على الأكثر", expires: "ينتهي", time_left: "الوقت المتبقي",
    stale: "غيّر شخص آخر هذا البلاغ: أعد تحميله قبل أي إجراء.", reload: "إعادة التحميل",
    done: "تم.", failed: "مرفوض", back: "العودة إلى القائمة", identifier: "المعرّف",
    update: "نشر تحديث", message: "الرسالة", resolve: "تم العثور على الطفل", note: "ملاحظة",
    expired: "انتهت جلستك: سجّل الدخول من جديد.", signin_failed: "تعذّر تسجيل الدخول: حاول مرة أخرى.",
    file_report: "تقديم بلاغ", file: "تقديم البلاغ", filed: "تم تقديم البلاغ.",
    name: "الاسم", sex: "الجنس", female: "أنثى", male: "ذكر", unknown: "غير معروف", description: "الأوصاف",
    photo_url: "عنوان الصورة (https)", photo_consent: "توافق الأسرة على نشر الصورة",
    when: "متى (بالتوقيت المحلي)", latitude: "خط العرض", longitude: "خط الطول",
    map_label: "خريطة الجهات: انقر لتحديد مكان آخر مشاهدة",
    map_hint: "انقر على الخريطة حيث شوهد الطفل آخر مرة: توضع النقطة وتُكبَّر جهتها؛ انقر مجددًا لتحديدها بدقة أكبر. أو اكتب الإحداثيات.",
    no_region: "هذه النقطة لا تقع في أي جهة: تحقق منها.",
    circumstances: "الظروف (لا تُنشر أبدًا)", narrative: "ما حدث", vehicle: "المركبة", suspect: "المشتبه به",
    criteria: "معايير التفعيل", abduction_suspected: "يُشتبه في اختطاف",
    risk_of_serious_harm: "خطر ضرر جسيم", sufficient_description: "أوصاف كافية للتحرك",
    registered_in_national_database: "مسجل في القاعدة الوطنية",
    the_alert: "الإنذار", tip_line: "رقم الإبلاغ", languages: "اللغات", exercise: "تمرين، ليس إنذارًا حقيقيًا",
    exercise_short: "تمرين", radius_next: "التالي", in: "بعد", radius_ceiling: "في أقصى اتساعه",
    reported_by: "قدّمه", assigned: "الضباط المكلفون بالقضية", extend: "التمديد", hours_more: "ساعات إضافية",
    cancel: "سحب الإنذار", assign: "تكليف ضابط بالقضية", officer: "الضابط (المعرّف)",
    status_pending_review: "في انتظار المراجعة", status_active: "نشط", status_rejected: "مرفوض",
    status_resolved: "عُثر عليه، انتهى", status_cancelled: "مسحوب", status_expired: "منتهٍ", status_lapsed: "سقط بالتقادم",
    did_file: "قدّم", did_approve: "وافق", did_reject: "رفض", did_update: "حدّث", did_extend: "مدّد",
    did_widen: "وسّع", did_resolve: "أنهى", did_cancel: "سحب", did_expire: "انتهى",
    did_assign: "كلّف", did_lapse: "سقط",
  },
};

const STORED = "tifli.language";

export function language() {
  const chosen = localStorage.getItem(STORED);
  return chosen in LANGUAGES ? chosen : "en";
}

export function choose(code) {
  if (code in LANGUAGES) localStorage.setItem(STORED, code);
}

export function t(key) {
  return WORDS[language()][key] ?? WORDS.en[key] ?? key;
}

/// A time as people of the chosen language write it, in the browser's time zone.
export function when(iso) {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  return new Intl.DateTimeFormat(language(), { dateStyle: "medium", timeStyle: "short" }).format(at);
}
