// The console's words, in the three languages officers use. Arabic is written right to
// left: `dir` follows the language.
export const LANGUAGES = { en: "ltr", fr: "ltr", ar: "rtl" };

const WORDS = {
  en: {
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
  },
  fr: {
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
  },
  ar: {
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
