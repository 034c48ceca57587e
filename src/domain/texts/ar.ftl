# نصوص إنذارات طفلي العمومية، بالعربية.
# Variables: $name, $age, $sex (female, male, unknown), $place, $region, $date, $time,
# $description, $vehicle, $suspect, $message, $tip. Short texts must fit one SMS.

sender-name = طفلي، الأمن الوطني
age = { $age ->
    [one] سنة واحدة
    [two] سنتان
    [few] { $age } سنوات
   *[other] { $age } سنة
}
child = { $sex ->
    [female] طفلة
   *[other] طفل
}

# Opens every text of a drill.
exercise = تمرين:

headline-alert = إنذار اختطاف: { $name }، { age }، { $place }
headline-update = تحديث إنذار الاختطاف: { $name }، { age }
headline-found = انتهاء الإنذار: تم العثور على { $name }
headline-resolved = انتهاء الإنذار: { $name }
headline-withdrawn = سحب الإنذار: { $name }
headline-expired = انتهاء الإنذار: { $name }

long-alert = { $name }، { child }، { age }، { $sex ->
    [female] شوهدت
   *[other] شوهد
} آخر مرة يوم { $date } على الساعة { $time } في { $place }. { $description }
long-vehicle = المركبة: { $vehicle }.
long-suspect = المشتبه به: { $suspect }.
long-update = جديد: { $message }
long-call = { $sex ->
    [female] إذا رأيتموها
   *[other] إذا رأيتموه
}، اتصلوا بالرقم { $tip }.
long-found = تم العثور على { $name }. شكرا لمساعدتكم، انتهى الإنذار.
long-resolved = انتهى الإنذار الخاص بـ{ $name }. شكرا لمساعدتكم.
long-withdrawn = سحبت الشرطة الإنذار الخاص بـ{ $name }.
long-expired = انتهى الإنذار الخاص بـ{ $name }.

short-alert = إنذار اختطاف: { $name }، { age }، { $place }. اتصلوا بـ{ $tip }
short-update = تحديث { $name }: { $message } اتصلوا بـ{ $tip }
short-found = تم العثور على { $name }. شكرا.
short-resolved = انتهى الإنذار الخاص بـ{ $name }. شكرا.
short-withdrawn = تم سحب الإنذار الخاص بـ{ $name }.
short-expired = انتهى الإنذار الخاص بـ{ $name }.

instruction = لا تتدخلوا بأنفسكم. اتصلوا فورا بالرقم { $tip }.
area = { $place }، { $region }

region-MA-01 = طنجة تطوان الحسيمة
region-MA-02 = الشرق
region-MA-03 = فاس مكناس
region-MA-04 = الرباط سلا القنيطرة
region-MA-05 = بني ملال خنيفرة
region-MA-06 = الدار البيضاء سطات
region-MA-07 = مراكش آسفي
region-MA-08 = درعة تافيلالت
region-MA-09 = سوس ماسة
region-MA-10 = كلميم واد نون
region-MA-11 = العيون الساقية الحمراء
region-MA-12 = الداخلة وادي الذهب

# صفحة الإنذار العامة (GET /a/{id}): عناوينها. $radius بالكيلومتر، $date يوم.
page-age = العمر
page-description = الأوصاف
page-last-seen = آخر مشاهدة
page-vehicle = المركبة
page-suspect = المشتبه به
page-news = آخر المستجدات
page-area = منطقة الإنذار: { $radius } كم حول مكان آخر مشاهدة
page-share = شارك هذا الإنذار
page-languages = اقرأ بـ
page-drill = تمرين: هذا ليس إنذارًا حقيقيًا.
page-ended-found = تم العثور على الطفل. شكرًا على مساعدتكم.
page-ended = انتهى هذا الإنذار.
page-ended-at = انتهى في { $date }
page-not-found = لا يوجد إنذار في هذا العنوان.
page-photo = صورة { $name }
page-call = اتصلوا
page-sighting = هل رأيتم هذا الطفل؟
page-sighting-intro = أخبروا الشرطة بما رأيتم. إذا كان الطفل في خطر الآن، اتصلوا بالرقم أعلاه.
page-sighting-when = منذ متى رأيتموه؟
page-sighting-now = الآن
page-sighting-minutes = منذ حوالي { $n } دقيقة
page-sighting-hours = { $n ->
    [one] منذ حوالي ساعة
    [two] منذ حوالي ساعتين
    [few] منذ حوالي { $n } ساعات
   *[other] منذ حوالي { $n } ساعة
}
page-sighting-where = أين؟ (شارع، مكان، معلم)
page-sighting-what = ماذا رأيتم؟
page-sighting-contact = كيف يمكن للشرطة التواصل معكم؟ (اختياري)
page-sighting-send = أرسلوا إلى الشرطة
page-sighting-thanks = شكرًا. توصلت الشرطة بما رأيتم.
page-sighting-check = يرجى التحقق من هذا الحقل.
page-sighting-closed = انتهى هذا الإنذار: لم يعد يستقبل المشاهدات.
page-sighting-busy = أُرسلت مشاهدات كثيرة. أعيدوا المحاولة بعد { $minutes } دقيقة، أو اتصلوا بالرقم.
page-sighting-failed = تعذر إرسال مشاهدتكم. أعيدوا المحاولة، أو اتصلوا بالرقم.
page-sighting-back = العودة إلى الإنذار

# The share card (card.png): its headline, and what comes before the tip line's number.
card-missing = { $sex ->
    [female] طفلة مفقودة
   *[other] طفل مفقود
}
card-call = { $sex ->
    [female] إذا رأيتموها
   *[other] إذا رأيتموه
}، اتصلوا بالرقم
