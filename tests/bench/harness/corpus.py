#!/usr/bin/python3
"""Deterministic scam-site corpus for scripts/bench.

    corpus.py OUT --sites S --pages P [--seed N]

writes
    OUT/sites/<host>/index.html, OUT/sites/<host>/p/<k>.html   (k = 1..P-1)
    OUT/hosts.txt      one host name per line (each its own registrable domain)
    OUT/corpus.json    the parameters, page counts and size distribution

Every byte depends only on (S, P, seed): a seeded random.Random, no clock.

What a page looks like: a head with a big inline stylesheet, analytics
snippets (GA4 / UA / GTM / Meta pixel) and an external-src script on a CDN
domain; a navigation bar; multilingual scam copy (English, Swedish,
Vietnamese, Thai, Chinese, Spanish, Indonesian) written for this file; the
operator's contacts (emails on real public suffixes, phone numbers valid for
libphonenumber, t.me and wa.me links), payment details (an Ethereum address,
a Bitcoin P2PKH or bech32 address with correct checksums, an IBAN with a
correct mod-97 check), a login or "withdraw" form with a password field,
links to other domains that no crawler here may follow, and filler
(testimonials, FAQ, product cards) up to a size drawn from a log-normal
distribution clipped to 5-60 KB.

The link graph: index -> G "section" pages (G = ceil(sqrt(P-1))), section g ->
every page of group g, every page -> "/" and two random pages. So a
breadth-first crawl from "/" reaches all P pages within depth 2, and none is
reached first at depth 3. Internal links are root-relative ("/p/7.html") or
page-relative ("7.html" from inside /p/); never "/index.html" or fragments,
so URL normalisation cannot make two tools see different page sets. There
are no <link href>, <iframe>, <frame> or <area> elements pointing into the
site (Dragnet follows <a>, <area>, <link>, and iframes on any domain; the
spider follows the same a/area/link set), and no script assigns location
(Dragnet would take it as a JavaScript redirect).

Phishing kits: KIT_FRACTION of the sites are byte-identical deployments of
one of a handful of kits (same pages, same indicators), as kits are deployed
unchanged on many throwaway domains.
"""

import argparse
import hashlib
import json
import math
import os
import random
import sys

KIT_FRACTION = 0.20
KITS = 4

# ---------------------------------------------------------------------------
# Names
# ---------------------------------------------------------------------------
HOST_WORDS_A = ["secure", "verify", "global", "prime", "royal", "smart", "crypto", "fast", "trust",
                "gold", "asia", "nordic", "mega", "alpha", "luxe", "safe", "easy", "top", "vip", "star"]
HOST_WORDS_B = ["wallet", "invest", "trade", "shop", "bank", "parcel", "reward", "loan", "mining",
                "market", "yield", "token", "deals", "pay", "support", "bonus", "profit", "exchange"]
# Public suffixes the scam economy likes (every one is in the PSL).
HOST_TLDS = ["com", "net", "top", "xyz", "shop", "online", "site", "vip", "cc", "io", "co",
             "com.vn", "store", "live", "club", "icu", "info", "org", "asia", "se"]
# Domains linked to but never fetched (not in the corpus, other registrable
# domains than every site).
EXTERNAL = ["https://www.facebook.com/groups/investclub.official",
            "https://twitter.com/primeyield_help",
            "https://www.youtube.com/watch?v=dQ3bxk9Lm2s",
            "https://cdn.jsdelivr.net/npm/bootstrap@5.3.0/dist/js/bootstrap.min.js",
            "https://www.coinmarketcap-live-prices.info/btc",
            "https://play.google.com/store/apps/details?id=com.prime.yield",
            "https://apps.apple.com/app/id1600000000",
            "https://www.trustpilot-reviews.org/review/primeyield",
            "https://line.me/ti/p/~vipservice",
            "https://zalo.me/0912345678",
            "https://help.binance-support-center.net/ticket",
            "https://www.google.com/maps/place/Stockholm"]
FREEMAIL = ["gmail.com", "outlook.com", "hotmail.com", "yahoo.com", "protonmail.com", "qq.com",
            "163.com", "yahoo.com.vn", "gmx.de", "mail.ru"]
FIRST = ["anna", "erik", "linh", "minh", "somchai", "wei", "lucia", "budi", "sara", "david",
         "thanh", "nattapong", "li", "carlos", "sofia", "johan", "huong", "arif", "mei", "oliver"]
LAST = ["nguyen", "andersson", "wong", "garcia", "santoso", "tran", "chen", "lindqvist",
        "suksawat", "smith", "pham", "rodriguez", "wijaya", "zhang", "karlsson", "le"]

# ---------------------------------------------------------------------------
# Copy, per language. Written for this corpus (not taken from any site).
# {brand}, {pct}, {days}, {amount} are filled per page.
# ---------------------------------------------------------------------------
TEXT = {
    "en": [
        "Welcome to {brand}, the smart way to grow your savings with automated crypto arbitrage.",
        "Our members earn up to {pct}% every day with zero risk and guaranteed withdrawals.",
        "Your account has been temporarily limited. Please verify your identity within 24 hours to avoid suspension.",
        "Deposit at least {amount} USDT to activate your VIP level and unlock daily bonuses.",
        "Withdrawals are processed within {days} business days after the verification fee is paid.",
        "Your parcel could not be delivered because of an unpaid customs fee. Pay now to reschedule delivery.",
        "Limited offer: invite three friends and receive a free trading robot worth {amount} USD.",
        "Our licensed advisors are available around the clock to help you reach financial freedom.",
        "Complete simple online tasks, like rating products, and receive commission instantly.",
        "Security notice: unusual sign-in activity was detected. Confirm your card details to keep access.",
        "Thousands of satisfied investors already trust {brand}. Do not miss this opportunity.",
        "The tax refund of {amount} EUR is waiting for you. Submit the form below to claim it.",
    ],
    "sv": [
        "Välkommen till {brand}, det enkla sättet att få din sparade slant att växa varje dag.",
        "Våra medlemmar tjänar upp till {pct}% om dagen utan risk och med garanterade uttag.",
        "Ditt konto har spärrats tillfälligt. Verifiera dig med BankID inom 24 timmar för att undvika avstängning.",
        "Ditt paket kunde inte levereras på grund av en obetald tullavgift. Betala nu för att boka om leveransen.",
        "Sätt in minst {amount} kronor för att aktivera ditt VIP-konto och få dagliga bonusar.",
        "Uttag behandlas inom {days} bankdagar efter att verifieringsavgiften har betalats.",
        "Våra licensierade rådgivare hjälper dig dygnet runt att nå ekonomisk frihet.",
        "Skatteverket har beslutat om en återbetalning på {amount} kronor. Fyll i formuläret nedan.",
        "Erbjudandet gäller endast idag: bjud in tre vänner och få en gratis handelsrobot.",
    ],
    "vi": [
        "Chào mừng bạn đến với {brand}, nền tảng đầu tư thông minh với lợi nhuận ổn định mỗi ngày.",
        "Thành viên của chúng tôi nhận được tới {pct}% mỗi ngày, rút tiền nhanh chóng và an toàn.",
        "Tài khoản của bạn đã bị tạm khóa. Vui lòng xác minh danh tính trong vòng 24 giờ.",
        "Nạp tối thiểu {amount} USDT để kích hoạt cấp VIP và nhận thưởng hằng ngày.",
        "Hoàn thành nhiệm vụ đơn giản như đánh giá sản phẩm và nhận hoa hồng ngay lập tức.",
        "Bưu kiện của bạn chưa được giao do chưa thanh toán phí hải quan. Thanh toán ngay hôm nay.",
        "Lệnh rút tiền sẽ được xử lý trong {days} ngày làm việc sau khi nộp phí xác minh.",
        "Đội ngũ chăm sóc khách hàng luôn sẵn sàng hỗ trợ bạn 24/7.",
    ],
    "th": [
        "ยินดีต้อนรับสู่ {brand} แพลตฟอร์มลงทุนที่ให้ผลตอบแทนสูงทุกวัน",
        "สมาชิกของเราได้รับผลตอบแทนสูงสุด {pct}% ต่อวัน ถอนเงินได้ทันที ไม่มีความเสี่ยง",
        "บัญชีของคุณถูกระงับชั่วคราว กรุณายืนยันตัวตนภายใน 24 ชั่วโมง",
        "ฝากขั้นต่ำ {amount} บาท เพื่อเปิดใช้งานระดับ VIP และรับโบนัสรายวัน",
        "ทำภารกิจง่าย ๆ เช่น กดไลก์สินค้า แล้วรับค่าคอมมิชชั่นทันที",
        "พัสดุของคุณไม่สามารถจัดส่งได้ เนื่องจากยังไม่ได้ชำระค่าธรรมเนียมศุลกากร",
        "การถอนเงินจะดำเนินการภายใน {days} วันทำการหลังชำระค่ายืนยันตัวตน",
    ],
    "zh": [
        "欢迎来到{brand}，智能量化交易平台，每天稳定收益。",
        "我们的会员每天最高可获得{pct}%的收益，零风险，随时提现。",
        "您的账户已被临时冻结，请在24小时内完成身份验证。",
        "最低充值{amount} USDT即可升级VIP，每日领取奖励。",
        "完成简单的点赞任务即可立即获得佣金。",
        "提现将在缴纳验证费后{days}个工作日内到账。",
        "专业导师一对一指导，带您实现财务自由。",
    ],
    "es": [
        "Bienvenido a {brand}, la forma inteligente de hacer crecer sus ahorros cada día.",
        "Nuestros miembros ganan hasta un {pct}% diario sin riesgo y con retiros garantizados.",
        "Su cuenta ha sido bloqueada temporalmente. Verifique su identidad en las próximas 24 horas.",
        "Su paquete no pudo ser entregado por una tasa de aduana pendiente. Pague ahora.",
        "Deposite al menos {amount} USDT para activar su nivel VIP y recibir bonos diarios.",
        "Los retiros se procesan en {days} días hábiles tras pagar la comisión de verificación.",
    ],
    "id": [
        "Selamat datang di {brand}, cara cerdas mengembangkan tabungan Anda setiap hari.",
        "Anggota kami mendapatkan hingga {pct}% per hari tanpa risiko dan penarikan dijamin.",
        "Akun Anda diblokir sementara. Silakan verifikasi identitas Anda dalam 24 jam.",
        "Kerjakan tugas sederhana seperti memberi ulasan produk dan terima komisi langsung.",
        "Deposit minimal {amount} USDT untuk mengaktifkan level VIP dan bonus harian.",
        "Penarikan diproses dalam {days} hari kerja setelah biaya verifikasi dibayar.",
    ],
}
PHONE_WORD = {"en": "Hotline", "sv": "Ring oss", "vi": "Điện thoại", "th": "โทร", "zh": "电话",
              "es": "Teléfono", "id": "Hubungi"}
TELEGRAM_LINE = {"en": "Chat with our manager on Telegram", "sv": "Kontakta oss på Telegram",
                 "vi": "Liên hệ qua Telegram", "th": "ติดต่อผ่าน Telegram", "zh": "Telegram 客服",
                 "es": "Escríbanos por Telegram", "id": "Hubungi kami di Telegram"}
PAY_LINE = {"en": "Send your deposit to", "sv": "Skicka insättningen till", "vi": "Chuyển tiền nạp tới",
            "th": "โอนเงินฝากไปที่", "zh": "请转账至", "es": "Envíe su depósito a", "id": "Kirim deposit ke"}
BANK_LINE = {"en": "Bank transfer (IBAN)", "sv": "Banköverföring (IBAN)", "vi": "Chuyển khoản (IBAN)",
             "th": "โอนผ่านธนาคาร (IBAN)", "zh": "银行转账 (IBAN)", "es": "Transferencia (IBAN)",
             "id": "Transfer bank (IBAN)"}
TITLES = {"en": ["Secure Login", "VIP Investment Plans", "Withdraw Funds", "Track Your Parcel",
                 "Customer Support", "Daily Tasks", "Account Verification"],
          "sv": ["Logga in", "Investera idag", "Uttag", "Spåra ditt paket", "Kundtjänst", "Verifiering"],
          "vi": ["Đăng nhập", "Gói đầu tư VIP", "Rút tiền", "Nhiệm vụ hằng ngày", "Hỗ trợ khách hàng"],
          "th": ["เข้าสู่ระบบ", "แผนการลงทุน", "ถอนเงิน", "ภารกิจรายวัน", "ติดต่อเรา"],
          "zh": ["登录", "投资计划", "提现", "每日任务", "在线客服"],
          "es": ["Iniciar sesión", "Planes de inversión", "Retirar fondos", "Seguimiento de envío"],
          "id": ["Masuk", "Paket Investasi", "Tarik Dana", "Tugas Harian", "Layanan Pelanggan"]}
LANG_REGION = {"en": "GB", "sv": "SE", "vi": "VN", "th": "TH", "zh": "CN", "es": "ES", "id": "ID"}

# ---------------------------------------------------------------------------
# Indicators that validate
# ---------------------------------------------------------------------------
B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def base58check(payload):
    data = payload + hashlib.sha256(hashlib.sha256(payload).digest()).digest()[:4]
    n = int.from_bytes(data, "big")
    out = ""
    while n:
        n, r = divmod(n, 58)
        out = B58[r] + out
    pad = len(data) - len(data.lstrip(b"\0"))
    return "1" * pad + out


BECH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"


def _polymod(values):
    gen = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3]
    chk = 1
    for v in values:
        b = chk >> 25
        chk = (chk & 0x1ffffff) << 5 ^ v
        for i in range(5):
            chk ^= gen[i] if ((b >> i) & 1) else 0
    return chk


def bech32_p2wpkh(prog):
    """BIP 173 segwit v0 address (bc1q...) of a 20-byte program."""
    acc, bits, data = 0, 0, [0]
    for b in prog:
        acc = (acc << 8) | b
        bits += 8
        while bits >= 5:
            bits -= 5
            data.append((acc >> bits) & 31)
    if bits:
        data.append((acc << (5 - bits)) & 31)
    hrp = "bc"
    exp = [ord(c) >> 5 for c in hrp] + [0] + [ord(c) & 31 for c in hrp]
    pm = _polymod(exp + data + [0] * 6) ^ 1
    chk = [(pm >> 5 * (5 - i)) & 31 for i in range(6)]
    return hrp + "1" + "".join(BECH32[d] for d in data + chk)


def btc_address(rng):
    h160 = bytes(rng.getrandbits(8) for _ in range(20))
    kind = rng.random()
    if kind < 0.45:
        return base58check(b"\x00" + h160)  # P2PKH, 1...
    if kind < 0.7:
        return base58check(b"\x05" + h160)  # P2SH, 3...
    return bech32_p2wpkh(h160)


def eth_address(rng):
    return "0x" + "".join(rng.choice("0123456789abcdef") for _ in range(40))


def iban(rng):
    """(compact, grouped) IBAN with correct check digits for SE, GB, DE or NL."""
    cc = rng.choice(["SE", "GB", "DE", "NL"])
    digits = lambda n: "".join(rng.choice("0123456789") for _ in range(n))
    if cc == "SE":
        bban = rng.choice(["500", "800", "300", "600"]) + digits(17)
    elif cc == "GB":
        bban = rng.choice(["NWBK", "BARC", "LOYD", "MIDL"]) + digits(14)
    elif cc == "DE":
        bban = digits(18)
    else:
        bban = rng.choice(["ABNA", "INGB", "RABO"]) + digits(10)
    num = "".join(str(int(c, 36)) for c in bban + cc + "00")
    check = 98 - int(num) % 97
    compact = f"{cc}{check:02d}{bban}"
    grouped = " ".join(compact[i:i + 4] for i in range(0, len(compact), 4))
    return compact, grouped


def phone(rng, region):
    """(e164_digits, display) of a mobile number libphonenumber calls valid."""
    d = lambda n: "".join(rng.choice("0123456789") for _ in range(n))
    if region == "SE":
        n = "7" + rng.choice("0236") + d(7)
        return "46" + n, f"+46 {n[:2]} {n[2:5]} {n[5:7]} {n[7:]}"
    if region == "GB":
        n = "7400" + d(6)
        return "44" + n, f"+44 {n[:4]} {n[4:]}"
    if region == "VN":
        n = "9" + rng.choice("1234") + d(7)
        return "84" + n, f"+84 {n[:2]} {n[2:5]} {n[5:7]} {n[7:]}"
    if region == "TH":
        n = "8" + rng.choice("1269") + d(7)
        return "66" + n, f"+66 {n[:2]} {n[2:5]} {n[5:]}"
    if region == "CN":
        n = "13" + rng.choice("5789") + d(8)
        return "86" + n, f"+86 {n[:3]} {n[3:7]} {n[7:]}"
    if region == "ES":
        n = "6" + rng.choice("0123456") + d(7)
        return "34" + n, f"+34 {n[:3]} {n[3:6]} {n[6:]}"
    n = "81" + rng.choice("123") + d(8)  # ID
    return "62" + n, f"+62 {n[:3]}-{n[3:7]}-{n[7:]}"


def telegram_handle(rng):
    return rng.choice(["vip", "support", "manager", "mentor", "invest", "helpdesk"]) + "_" + \
        rng.choice(LAST) + str(rng.randint(10, 9999))


ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"


def analytics(rng):
    return {"ga4": "G-" + "".join(rng.choice(ALNUM) for _ in range(10)),
            "ua": f"UA-{rng.randint(10000000, 199999999)}-{rng.randint(1, 9)}",
            "gtm": "GTM-" + "".join(rng.choice(ALNUM) for _ in range(7)),
            "pixel": str(rng.randint(100000000000000, 999999999999999))}


# ---------------------------------------------------------------------------
# A site's identity (operator), shared by every page of the site
# ---------------------------------------------------------------------------
class Operator:
    def __init__(self, rng, host, lang, campaign):
        self.host = host
        self.lang = lang
        region = LANG_REGION[lang]
        self.brand = rng.choice(["Prime", "Nordic", "Golden", "Royal", "Apex", "Lotus", "Dragon",
                                 "Viking", "Coral", "Summit"]) + " " + \
            rng.choice(["Yield", "Capital", "Trade", "Wallet", "Express", "Rewards", "Finance", "Mall"])
        site_dom = host.split(".", 1)[1] if host.count(".") > 1 and host.startswith("www.") else host
        self.emails = [f"support@{site_dom}",
                       f"{rng.choice(FIRST)}.{rng.choice(LAST)}{rng.randint(1, 999)}@{rng.choice(FREEMAIL)}"]
        self.phones = [phone(rng, region), phone(rng, rng.choice(["SE", "GB", "VN", "TH", "CN", "ES", "ID"]))]
        self.whatsapp = phone(rng, region)[0]
        # Campaign-level indicators tie sites together, as real ones do.
        self.telegram = campaign["telegram"] if rng.random() < 0.5 else telegram_handle(rng)
        self.eth = campaign["eth"] if rng.random() < 0.5 else eth_address(rng)
        self.btc = btc_address(rng)
        self.iban = iban(rng)
        self.ids = campaign["analytics"] if rng.random() < 0.6 else analytics(rng)


# ---------------------------------------------------------------------------
# Page rendering
# ---------------------------------------------------------------------------
CSS_PROPS = ["color", "background", "margin", "padding", "border-radius", "font-size", "line-height",
             "display", "box-shadow", "transition", "max-width", "letter-spacing", "font-weight"]
CSS_VALS = ["#1a1f36", "#f6c343", "0 auto", "12px 24px", "8px", "15px", "1.6", "flex",
            "0 4px 14px rgba(0,0,0,.12)", "all .2s ease-in-out", "1180px", ".02em", "600"]


def stylesheet(rng, n_rules):
    out = []
    for i in range(n_rules):
        sel = rng.choice([".btn", ".card", ".hero", ".nav a", ".footer", ".plan", ".badge", ".grid",
                          ".modal", ".form-row input", ".ticker", ".faq dt"]) + f"-{i % 37}"
        body = ";".join(f"{rng.choice(CSS_PROPS)}:{rng.choice(CSS_VALS)}" for _ in range(rng.randint(3, 7)))
        out.append(f"{sel}{{{body}}}")
    return "\n".join(out)


def fill(rng, lang, op):
    s = rng.choice(TEXT[lang])
    return s.format(brand=op.brand, pct=rng.choice([1.5, 2.8, 3.2, 5, 8.5, 12]),
                    days=rng.randint(1, 7), amount=rng.choice([50, 100, 299, 500, 1000, 2500]))


def esc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def internal_href(rng, k, from_subdir):
    """A link to page k (0 = index) in one of the equivalent spellings."""
    if k == 0:
        return "/"
    if from_subdir and rng.random() < 0.5:
        return f"{k}.html"
    return f"/p/{k}.html"


def render_page(rng, op, k, links, target_bytes):
    lang = op.lang if rng.random() < 0.85 else rng.choice(list(TEXT))
    titles = TITLES[op.lang]
    title = f"{op.brand} — {titles[k % len(titles)]}"
    ids = op.ids
    sub = k > 0
    parts = []
    parts.append(f"<!DOCTYPE html>\n<html lang=\"{op.lang}\">\n<head>\n<meta charset=\"utf-8\">\n"
                 f"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                 f"<title>{esc(title)}</title>\n"
                 f"<meta name=\"description\" content=\"{esc(fill(rng, lang, op))}\">\n"
                 f"<meta property=\"og:title\" content=\"{esc(op.brand)}\">\n")
    parts.append(f"<style>\n{stylesheet(rng, rng.randint(20, 60))}\n</style>\n")
    parts.append(f"<script async src=\"https://www.googletagmanager.com/gtag/js?id={ids['ga4']}\"></script>\n"
                 "<script>window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments);}"
                 f"gtag('js',new Date());gtag('config','{ids['ga4']}');gtag('config','{ids['ua']}');</script>\n"
                 "<script>(function(w,d,s,l,i){w[l]=w[l]||[];w[l].push({'gtm.start':new Date().getTime(),"
                 "event:'gtm.js'});var f=d.getElementsByTagName(s)[0],j=d.createElement(s);j.async=true;"
                 f"j.src='https://www.googletagmanager.com/gtm.js?id='+i;f.parentNode.insertBefore(j,f);}})"
                 f"(window,document,'script','dataLayer','{ids['gtm']}');</script>\n"
                 "<script>!function(f,b,e,v,n,t,s){if(f.fbq)return;n=f.fbq=function(){n.callMethod?"
                 "n.callMethod.apply(n,arguments):n.queue.push(arguments)};if(!f._fbq)f._fbq=n;n.push=n;"
                 "n.loaded=!0;n.version='2.0';n.queue=[]}(window,document,'script');"
                 f"fbq('init','{ids['pixel']}');fbq('track','PageView');</script>\n"
                 "<script src=\"https://cdn.jsdelivr.net/npm/jquery@3.7.1/dist/jquery.min.js\"></script>\n"
                 "</head>\n<body>\n")
    # Navigation: the page's outgoing internal links.
    nav = "".join(f"<li><a href=\"{internal_href(rng, t, sub)}\">{esc(TITLES[op.lang][t % len(TITLES[op.lang])])}"
                  f" {t}</a></li>" for t in links)
    parts.append(f"<header class=\"nav\"><a class=\"logo\" href=\"/\">{esc(op.brand)}</a><ul>{nav}</ul>"
                 "<a href=\"javascript:void(0)\" class=\"menu\">&#9776;</a></header>\n")
    parts.append(f"<section class=\"hero\"><h1>{esc(title)}</h1><p>{esc(fill(rng, lang, op))}</p>"
                 f"<p>{esc(fill(rng, lang, op))}</p></section>\n")
    # Contacts and payment details: on the index and on about half the pages.
    if k == 0 or rng.random() < 0.5:
        e164, disp = op.phones[0]
        e2, disp2 = op.phones[1]
        eth, btc = op.eth, op.btc
        iban_c, iban_g = op.iban
        parts.append(
            "<section class=\"contact\">"
            f"<p>{PHONE_WORD[op.lang]}: <a href=\"tel:+{e164}\">{disp}</a></p>"
            f"<p>Tel: {disp2}</p>"
            f"<p>Email: <a href=\"mailto:{op.emails[0]}\">{op.emails[0]}</a> · {op.emails[1]}</p>"
            f"<p>{esc(TELEGRAM_LINE[op.lang])}: <a href=\"https://t.me/{op.telegram}\">@{op.telegram}</a></p>"
            f"<p><a href=\"https://wa.me/{op.whatsapp}\" class=\"wa\">WhatsApp</a></p>"
            f"<div class=\"pay\"><p>{esc(PAY_LINE[op.lang])} (ERC-20 USDT): <code>{eth}</code></p>"
            f"<p>BTC: <code>{btc}</code></p>"
            f"<p>{esc(BANK_LINE[op.lang])}: {iban_g if rng.random() < 0.7 else iban_c}</p></div>"
            "</section>\n")
    # A form: login with a password, or a "withdraw" form.
    if k == 0 or rng.random() < 0.4:
        if rng.random() < 0.6:
            parts.append("<form class=\"login\" method=\"post\" action=\"/api/login.php\">"
                         "<input type=\"email\" name=\"email\" placeholder=\"you@example.com\" required>"
                         "<input type=\"password\" name=\"password\" autocomplete=\"current-password\">"
                         "<input type=\"hidden\" name=\"csrf\" value=\""
                         + "".join(rng.choice("abcdef0123456789") for _ in range(32)) + "\">"
                         "<button type=\"submit\">Login</button></form>\n")
        else:
            parts.append("<form class=\"withdraw\" method=\"post\" action=\"/api/withdraw\">"
                         "<input name=\"amount\" type=\"number\"><input name=\"wallet\" placeholder=\"0x...\">"
                         "<input type=\"password\" name=\"pin\" maxlength=\"6\">"
                         "<input name=\"card\" placeholder=\"Card number\"><input name=\"cvv\" maxlength=\"4\">"
                         "<button>Withdraw</button></form>\n")
    # External links (other registrable domains: neither crawler follows them).
    ext = rng.sample(EXTERNAL, rng.randint(2, 5))
    parts.append("<aside class=\"partners\">" + "".join(
        f"<a href=\"{esc(u)}\" target=\"_blank\" rel=\"noopener\">{esc(u.split('/')[2])}</a> " for u in ext)
        + "</aside>\n")
    footer = (f"<footer class=\"footer\"><p>&copy; 2024 {esc(op.brand)}. "
              f"<a href=\"/\">Home</a></p></footer>\n"
              "<script>document.querySelectorAll('.faq dt').forEach(function(d){d.addEventListener('click',"
              "function(){d.nextElementSibling.classList.toggle('open');});});</script>\n</body>\n</html>\n")
    # Filler up to the target size: testimonials, product cards, FAQ, tickers.
    size = sum(len(p.encode()) for p in parts) + len(footer.encode())
    filler = []
    i = 0
    while size < target_bytes:
        kind = rng.random()
        l2 = lang if rng.random() < 0.8 else rng.choice(list(TEXT))
        if kind < 0.35:
            block = (f"<div class=\"card-{i % 37}\"><img src=\"/img/p{rng.randint(1, 40)}.jpg\" alt=\"plan\">"
                     f"<h3>VIP {rng.randint(1, 9)}</h3><p>{esc(fill(rng, l2, op))}</p>"
                     f"<span class=\"badge\">{rng.choice([3.5, 5, 8, 12])}%</span></div>\n")
        elif kind < 0.6:
            block = (f"<blockquote class=\"testimonial\"><p>{esc(fill(rng, l2, op))} "
                     f"{esc(fill(rng, l2, op))}</p><cite>{rng.choice(FIRST).title()} "
                     f"{rng.choice(LAST).title()[0]}.</cite></blockquote>\n")
        elif kind < 0.8:
            block = (f"<dl class=\"faq\"><dt>{esc(fill(rng, l2, op))}</dt>"
                     f"<dd>{esc(fill(rng, l2, op))} {esc(fill(rng, l2, op))}</dd></dl>\n")
        else:
            rows = "".join(f"<tr><td>{rng.choice(['BTC', 'ETH', 'USDT', 'BNB', 'SOL'])}</td>"
                           f"<td>{rng.randint(1, 70000)}.{rng.randint(10, 99)}</td>"
                           f"<td class=\"up\">+{rng.randint(1, 30)}.{rng.randint(0, 9)}%</td></tr>"
                           for _ in range(rng.randint(4, 12)))
            block = f"<table class=\"ticker\"><tbody>{rows}</tbody></table>\n"
        filler.append(block)
        size += len(block.encode())
        i += 1
    return "".join(parts) + "".join(filler) + footer


def page_size(rng):
    # Log-normal, median ~16 KB, clipped to the 5-60 KB the issue asks for.
    # The last filler block may overshoot the target by up to ~1.5 KB.
    return int(min(58_000, max(5_000, rng.lognormvariate(math.log(16_000), 0.55))))


def link_graph(rng, pages):
    """out[k] = internal links of page k; BFS from 0 reaches every page in <= 2 hops."""
    n = pages - 1
    if n <= 0:
        return {0: []}
    groups = max(1, math.ceil(math.sqrt(n)))
    out = {0: list(range(1, min(groups, n) + 1))}
    for k in range(1, n + 1):
        links = [0]
        if k <= groups:  # a section page links to its group
            links += [m for m in range(1, n + 1) if (m - 1) % groups == k - 1 and m != k]
        links += rng.sample(range(1, n + 1), min(2, n))
        seen, uniq = set(), []
        for m in links:
            if m != k and m not in seen:
                seen.add(m)
                uniq.append(m)
        out[k] = uniq
    return out


def host_name(rng, i):
    return f"{rng.choice(HOST_WORDS_A)}-{rng.choice(HOST_WORDS_B)}-{i:04d}.{rng.choice(HOST_TLDS)}"


def build_site(rng, op, pages):
    graph = link_graph(rng, pages)
    return {k: render_page(rng, op, k, graph[k], page_size(rng)) for k in range(pages)}


def write_site(root, host, site):
    d = os.path.join(root, "sites", host)
    os.makedirs(os.path.join(d, "p"), exist_ok=True)
    for k, html in site.items():
        path = os.path.join(d, "index.html") if k == 0 else os.path.join(d, "p", f"{k}.html")
        with open(path, "w", encoding="utf-8") as f:
            f.write(html)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out")
    ap.add_argument("--sites", type=int, default=200)
    ap.add_argument("--pages", type=int, default=25)
    ap.add_argument("--seed", type=int, default=7)
    a = ap.parse_args()
    if a.sites < 1 or a.pages < 1:
        sys.exit("corpus.py: --sites and --pages must be positive")
    rng = random.Random(a.seed)
    hosts = []
    seen = set()
    for i in range(a.sites):
        h = host_name(rng, i)
        while h in seen:
            h = host_name(rng, i)
        seen.add(h)
        hosts.append(h)
    campaigns = [{"telegram": telegram_handle(rng), "eth": eth_address(rng), "analytics": analytics(rng)}
                 for _ in range(8)]
    # Kits: rendered once, deployed unchanged (byte for byte) on several hosts.
    n_kit_sites = int(round(a.sites * KIT_FRACTION))
    kit_sites = set(rng.sample(range(a.sites), n_kit_sites)) if a.sites >= 5 else set()
    kits = []
    for j in range(KITS):
        lang = rng.choice(list(TEXT))
        op = Operator(rng, f"kit{j}-panel.top", lang, rng.choice(campaigns))
        kits.append(build_site(rng, op, a.pages))
    sizes = []
    digests = set()
    for i, host in enumerate(hosts):
        if i in kit_sites:
            site = kits[rng.randrange(KITS)]
        else:
            lang = rng.choice(list(TEXT))
            op = Operator(rng, host, lang, rng.choice(campaigns))
            site = build_site(rng, op, a.pages)
        write_site(a.out, host, site)
        sizes.extend(len(h.encode()) for h in site.values())
        digests.update(hashlib.sha256(h.encode()).hexdigest() for h in site.values())
    with open(os.path.join(a.out, "hosts.txt"), "w") as f:
        f.write("\n".join(hosts) + "\n")
    sizes.sort()
    meta = {"sites": a.sites, "pages_per_site": a.pages, "seed": a.seed, "pages": len(sizes),
            "kit_sites": len(kit_sites), "kits": KITS,
            "unique_pages": len(digests),
            "bytes": sum(sizes), "size_min": sizes[0], "size_median": sizes[len(sizes) // 2],
            "size_p90": sizes[int(len(sizes) * 0.9)], "size_max": sizes[-1],
            "languages": sorted(TEXT)}
    with open(os.path.join(a.out, "corpus.json"), "w") as f:
        json.dump(meta, f, indent=1)
    print(json.dumps(meta))


if __name__ == "__main__":
    main()
