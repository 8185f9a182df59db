#include "extractors/page.h"

#include <gumbo.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/strings.h"
#include "core/url.h"
#include "extractors/url_fast.h"

namespace dragnet::extractors {
namespace {

// ------------------------------------------------------------ small helpers ---

inline bool IsHtmlSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsHtmlSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsHtmlSpace(s.back())) s.remove_suffix(1);
  return s;
}

bool StartsWithNoCase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (AsciiLower(s[i]) != prefix[i]) return false;
  }
  return true;
}

// True when the space-separated token list `list` holds `token` (ASCII case-
// insensitive), as rel="shortcut icon" holds "icon".
bool HasToken(std::string_view list, std::string_view token) {
  size_t i = 0;
  while (i < list.size()) {
    while (i < list.size() && IsHtmlSpace(list[i])) ++i;
    size_t j = i;
    while (j < list.size() && !IsHtmlSpace(list[j])) ++j;
    std::string_view t = list.substr(i, j - i);
    if (t.size() == token.size() && StartsWithNoCase(t, token)) return true;
    i = j;
  }
  return false;
}

// ------------------------------------------------------- nesting pre-scan ---

// True when `n` is one of `list` (short lists of short names: a length check
// and a compare beat hashing the name).
template <size_t N>
bool OneOf(std::string_view n, const std::string_view (&list)[N]) {
  for (std::string_view v : list) {
    if (v.size() == n.size() && v == n) return true;
  }
  return false;
}

// Void elements: no end tag, no content.
constexpr std::string_view kVoidTags[] = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
    "source", "track", "wbr", "keygen", "command", "basefont", "bgsound", "frame", "image",
    "menuitem", "isindex"};

// Elements the tree builder closes implicitly when a sibling opens (and whose
// end tags are optional): counting them would make ordinary lists look deep.
constexpr std::string_view kImpliedTags[] = {
    "p", "li", "dt", "dd", "option", "optgroup", "tr", "td", "th", "rb", "rt", "rp",
    "rtc", "tbody", "thead", "tfoot", "colgroup", "caption", "html", "head", "body"};

// Raw-text elements: their content is not markup, skip to the end tag.
constexpr std::string_view kRawTextTags[] = {"script", "style", "textarea", "title", "xmp",
                                             "iframe", "noembed", "noframes"};

inline bool IsAsciiAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// What the pre-scan needs to know of a tag name, from one lookup (it runs on
// every tag of the page before Gumbo does).
enum TagFlag : unsigned { kVoidFlag = 1, kImpliedFlag = 2, kRawTextFlag = 4, kForeignFlag = 8, kPlaintextFlag = 16 };

unsigned TagFlags(std::string_view n) {
  struct Table {
    // Names by first letter; only a-z can start a name the pre-scan reads.
    std::vector<std::pair<std::string_view, unsigned>> by_first[26];
    Table() {
      auto add = [this](std::string_view name, unsigned f) {
        auto& bucket = by_first[name[0] - 'a'];
        for (auto& e : bucket) {
          if (e.first == name) {
            e.second |= f;
            return;
          }
        }
        bucket.emplace_back(name, f);
      };
      for (std::string_view v : kVoidTags) add(v, kVoidFlag);
      for (std::string_view v : kImpliedTags) add(v, kImpliedFlag);
      for (std::string_view v : kRawTextTags) add(v, kRawTextFlag);
      add("svg", kForeignFlag);
      add("math", kForeignFlag);
      add("plaintext", kPlaintextFlag);
    }
  };
  static const Table table;
  if (n.empty() || n[0] < 'a' || n[0] > 'z') return 0;
  for (const auto& [name, flags] : table.by_first[n[0] - 'a']) {
    if (name.size() == n.size() && name == n) return flags;
  }
  return 0;
}

}  // namespace

size_t NestingSafePrefix(std::string_view html, int max_depth) {
  // Each level of nesting needs a start tag and so a '<' of its own: with no
  // more '<' than the cap allows, nothing can be cut (the walk below would
  // return html.size()). Counting them is one vectorised pass.
  if (max_depth >= 0 &&
      static_cast<size_t>(std::count(html.begin(), html.end(), '<')) <= static_cast<size_t>(max_depth)) {
    return html.size();
  }
  int depth = 0;
  int foreign = 0;  // inside <svg>/<math>: "/>" really closes there
  size_t i = 0;
  const size_t n = html.size();
  char name_buf[16];
  while (i < n) {
    const void* lt = std::memchr(html.data() + i, '<', n - i);
    if (lt == nullptr) break;
    size_t tag_start = static_cast<const char*>(lt) - html.data();
    i = tag_start + 1;
    if (i >= n) break;
    if (html.compare(i, 3, "!--") == 0) {  // comment
      size_t end = html.find("-->", i + 3);
      if (end == std::string_view::npos) return n;
      i = end + 3;
      continue;
    }
    bool end_tag = html[i] == '/';
    if (end_tag) ++i;
    if (i >= n || !IsAsciiAlpha(html[i])) continue;
    size_t len = 0;
    size_t j = i;
    while (j < n && !IsHtmlSpace(html[j]) && html[j] != '>' && html[j] != '/') {
      if (len < sizeof(name_buf)) name_buf[len] = AsciiLower(html[j]);
      ++len;
      ++j;
    }
    std::string_view name(name_buf, std::min(len, sizeof(name_buf)));
    if (len > sizeof(name_buf)) name = std::string_view(name_buf, sizeof(name_buf));  // long custom tag
    // Find the tag's '>' (quoted attribute values may hold '>').
    char quote = 0;
    size_t k = j;
    for (; k < n; ++k) {
      char c = html[k];
      if (quote) {
        if (c == quote) quote = 0;
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == '>') {
        break;
      }
    }
    if (k >= n) return n;  // unterminated tag: Gumbo drops it; nothing deeper follows
    bool self_closing = k > j && html[k - 1] == '/';
    i = k + 1;
    const unsigned flags = TagFlags(name);
    if (end_tag) {
      if (flags & kForeignFlag) foreign = std::max(0, foreign - 1);
      if (!(flags & (kVoidFlag | kImpliedFlag))) depth = std::max(0, depth - 1);
      continue;
    }
    if (flags & (kVoidFlag | kImpliedFlag)) continue;
    if (self_closing && foreign > 0) continue;
    if (flags & kPlaintextFlag) return n;  // everything after is text
    if (++depth > max_depth) return tag_start;
    if (flags & kForeignFlag) ++foreign;
    if (flags & kRawTextFlag) {
      // Skip to "</name" (case-insensitive); the end tag itself closes it.
      size_t p = i;
      bool found = false;
      while (p < n) {
        const void* q = std::memchr(html.data() + p, '<', n - p);
        if (q == nullptr) break;
        p = static_cast<const char*>(q) - html.data();
        if (p + 1 < n && html[p + 1] == '/' && StartsWithNoCase(html.substr(p + 2), name)) {
          found = true;
          break;
        }
        ++p;
      }
      if (!found) return n;
      i = p;  // the end tag is processed by the loop and pops the depth
    }
  }
  return n;
}

namespace {

// ------------------------------------------------------------ Gumbo arena ---

// Gumbo's allocations for one parse come from a per-thread bump arena and are
// released all at once after the walk, instead of one malloc/free per token,
// node, attribute and string-buffer growth (a third of the parse time went to
// malloc and to gumbo_destroy_output walking the tree to free it).
//
// Memory: Gumbo frees little before the end of a parse; what it allocates in
// total is 1.1-1.2x its peak (measured on 1-60 KB pages and on a 4 MB page of
// 200,000 elements: 146 MB total, 126 MB peak), so never reusing a freed
// block costs about a fifth more than malloc at the peak. Input bytes stay
// bounded by PageLimits::max_input_bytes.
class GumboArena {
 public:
  // Blocks start at 64 KiB (a 1 KB page needs ~15 KB, a 60 KB page ~200 KB)
  // and double up to 4 MiB each.
  static constexpr size_t kFirstBlock = 64u << 10;
  static constexpr size_t kMaxBlock = 4u << 20;
  // Requests above this get their own malloc block (text nodes of a huge
  // page, the tokenizer's buffer), freed at Reset.
  static constexpr size_t kLargeAlloc = 256u << 10;
  // Kept for the thread's next parse; the rest goes back to malloc.
  static constexpr size_t kRetainBytes = 1u << 20;

  GumboArena() = default;
  GumboArena(const GumboArena&) = delete;
  GumboArena& operator=(const GumboArena&) = delete;
  ~GumboArena() {
    Reset();
    for (Block& b : blocks_) std::free(b.data);
  }

  static void* Allocate(void* self, size_t n) {
    GumboArena& a = *static_cast<GumboArena*>(self);
    n = (n + 15) & ~static_cast<size_t>(15);  // malloc's alignment
    if (n != 0 && n <= static_cast<size_t>(a.end_ - a.cur_)) {
      void* p = a.cur_;
      a.cur_ += n;
      return p;
    }
    return a.Get(n);
  }
  static void Deallocate(void*, void*) {}  // everything goes at Reset

  // Frees the parse's memory; keeps one block of at most kRetainBytes.
  void Reset() {
    for (void* p : large_) std::free(p);
    large_.clear();
    if (blocks_.size() > 1 || (!blocks_.empty() && blocks_.back().size > kRetainBytes)) {
      // Keep the largest block that fits the retained budget.
      size_t keep = blocks_.size();
      for (size_t i = 0; i < blocks_.size(); ++i) {
        bool fits = blocks_[i].size <= kRetainBytes;
        if (fits && (keep == blocks_.size() || blocks_[i].size > blocks_[keep].size)) keep = i;
      }
      std::vector<Block> kept;
      for (size_t i = 0; i < blocks_.size(); ++i) {
        if (i == keep) kept.push_back(blocks_[i]);
        else std::free(blocks_[i].data);
      }
      blocks_.swap(kept);
    }
    cur_ = blocks_.empty() ? nullptr : blocks_.back().data;
    end_ = blocks_.empty() ? nullptr : blocks_.back().data + blocks_.back().size;
  }

 private:
  struct Block {
    char* data;
    size_t size;
  };

  // The slow path: a new block, or a large request. `n` is rounded already.
  void* Get(size_t n) {
    if (n == 0) n = 16;
    if (n > kLargeAlloc) {
      void* p = std::malloc(n);
      if (p != nullptr) large_.push_back(p);
      return p;
    }
    if (n > static_cast<size_t>(end_ - cur_)) {
      size_t size = blocks_.empty() ? kFirstBlock : std::min(kMaxBlock, blocks_.back().size * 2);
      size = std::max(size, n);  // n <= kLargeAlloc <= kMaxBlock
      char* data = static_cast<char*>(std::malloc(size));
      if (data == nullptr) return nullptr;  // Gumbo reports it; ParsePage returns an empty Page
      blocks_.push_back({data, size});
      cur_ = data;
      end_ = data + size;
    }
    void* p = cur_;
    cur_ += n;
    return p;
  }

  std::vector<Block> blocks_;  // the last one is being filled
  char* cur_ = nullptr;        // next free byte of blocks_.back()
  char* end_ = nullptr;        // its end
  std::vector<void*> large_;
};

// ------------------------------------------------------------------ walker ---

// Elements that start a new line of visible text (a browser lays them out as
// blocks or table cells); inline elements join their text to the neighbours.
bool IsBlock(GumboTag t) {
  switch (t) {
    case GUMBO_TAG_ADDRESS: case GUMBO_TAG_ARTICLE: case GUMBO_TAG_ASIDE:
    case GUMBO_TAG_BLOCKQUOTE: case GUMBO_TAG_BR: case GUMBO_TAG_DD: case GUMBO_TAG_DIV:
    case GUMBO_TAG_DL: case GUMBO_TAG_DT: case GUMBO_TAG_FIELDSET: case GUMBO_TAG_FIGCAPTION:
    case GUMBO_TAG_FIGURE: case GUMBO_TAG_FOOTER: case GUMBO_TAG_FORM: case GUMBO_TAG_H1:
    case GUMBO_TAG_H2: case GUMBO_TAG_H3: case GUMBO_TAG_H4: case GUMBO_TAG_H5:
    case GUMBO_TAG_H6: case GUMBO_TAG_HEADER: case GUMBO_TAG_HR: case GUMBO_TAG_LI:
    case GUMBO_TAG_MAIN: case GUMBO_TAG_NAV: case GUMBO_TAG_OL: case GUMBO_TAG_P:
    case GUMBO_TAG_PRE: case GUMBO_TAG_SECTION: case GUMBO_TAG_TABLE: case GUMBO_TAG_TR:
    case GUMBO_TAG_TD: case GUMBO_TAG_TH: case GUMBO_TAG_UL: case GUMBO_TAG_OPTION:
    case GUMBO_TAG_SELECT: case GUMBO_TAG_TEXTAREA: case GUMBO_TAG_BODY: case GUMBO_TAG_CAPTION:
    case GUMBO_TAG_DETAILS: case GUMBO_TAG_SUMMARY: case GUMBO_TAG_LEGEND: case GUMBO_TAG_BUTTON:
    case GUMBO_TAG_CENTER: case GUMBO_TAG_MENU:
      return true;
    default:
      return false;
  }
}

// Attribute names whose values the extractors scan.
bool IsScannedAttr(std::string_view name) {
  if (name.size() > 5 && name.compare(0, 5, "data-") == 0) return true;
  if (name.size() > 2 && name[0] == 'o' && name[1] == 'n') return true;  // onclick, onload...
  static constexpr std::string_view kNames[] = {
      "href", "src", "action", "formaction", "value", "content", "title", "alt",
      "placeholder", "srcset", "poster", "background", "cite", "label", "aria-label", "data",
      "longdesc", "ping"};
  return OneOf(name, kNames);
}

// Words that mark an input as a payment-card field (name, id, autocomplete,
// placeholder, aria-label), in the languages of our fixtures.
bool LooksLikeCardField(std::string_view s) {
  static constexpr const char* kWords[] = {
      "cc-number", "cc-csc", "cc-exp", "cardnumber", "card_number", "card-number", "cardno",
      "card_no", "ccnum", "cc_num", "cvv", "cvc", "csc", "card number", "credit card",
      "expiry", "exp_date", "expdate", "exp-date",
      "kortnummer", "kreditkort",             // sv
      "número de tarjeta", "tarjeta",        // es
      "nomor kartu", "kartu kredit",         // id
      "số thẻ", "thẻ tín dụng",              // vi
      "หมายเลขบัตร", "บัตรเครดิต",            // th
      "卡号", "信用卡", "银行卡"};             // zh
  // The words by first byte: one pass over the value, trying only the words
  // that can start at each position (same answer as ContainsNoCase per word).
  static const auto by_first = [] {
    std::array<std::vector<std::string_view>, 256> t;
    for (const char* w : kWords) t[static_cast<unsigned char>(w[0])].emplace_back(w);
    return t;
  }();
  for (size_t i = 0; i < s.size(); ++i) {
    for (std::string_view w : by_first[static_cast<unsigned char>(AsciiLower(s[i]))]) {
      if (StartsWithNoCase(s.substr(i), w)) return true;
    }
  }
  return false;
}

// Appends visible text with whitespace folding: runs of whitespace (and
// NBSP) become one space, block boundaries one newline, zero-width
// characters (a favourite trick to split e-mail addresses) vanish.
class TextBuilder {
 public:
  explicit TextBuilder(std::string* out, size_t cap) : out_(out), cap_(cap) {}

  void Block() { pending_ = std::max(pending_, 2); }

  // Returns false when the cap was hit.
  bool Append(std::string_view s) {
    const size_t n = s.size();
    size_t i = 0;
    while (i < n) {
      bool space = false;
      size_t skip = Special(s, i, space);
      if (skip != 0) {
        if (space) pending_ = std::max(pending_, 1);
        i += skip;
        continue;
      }
      // A run of ordinary characters up to the next space or invisible one
      // goes in with one append; character lengths as UTF-8 lead bytes say.
      size_t j = i;
      while (j < n && (j == i || Special(s, j, space) == 0)) j += CharLen(s, j);
      size_t sep = (pending_ != 0 && !out_->empty()) ? 1 : 0;
      if (out_->size() + sep + (j - i) <= cap_) {
        if (sep) out_->push_back(pending_ == 2 ? '\n' : ' ');
        pending_ = 0;
        out_->append(s.data() + i, j - i);
        i = j;
        continue;
      }
      // The cap falls inside the run: character by character up to it,
      // never cutting a character in half.
      while (i < j) {
        size_t len = CharLen(s, i);
        sep = (pending_ != 0 && !out_->empty()) ? 1 : 0;
        if (out_->size() + sep + len > cap_) return false;
        if (sep) out_->push_back(pending_ == 2 ? '\n' : ' ');
        pending_ = 0;
        out_->append(s.data() + i, len);
        i += len;
      }
    }
    return true;
  }

 private:
  // Bytes of the character at s[i] (by its lead byte, clipped to the end).
  static size_t CharLen(std::string_view s, size_t i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    size_t len = c < 0xC0 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    return std::min(len, s.size() - i);
  }

  // Whitespace (ASCII, NBSP; `space` set) becomes a separator and zero-width
  // characters (U+200B..U+200D, U+2060, U+FEFF) vanish: returns their bytes,
  // 0 for an ordinary character.
  static size_t Special(std::string_view s, size_t i, bool& space) {
    const size_t n = s.size();
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
      space = true;
      return 1;
    }
    if (c < 0x80) return 0;
    if (c == 0xC2 && i + 1 < n && static_cast<unsigned char>(s[i + 1]) == 0xA0) {  // NBSP
      space = true;
      return 2;
    }
    if (c == 0xE2 && i + 2 < n) {
      unsigned char c1 = static_cast<unsigned char>(s[i + 1]);
      unsigned char c2 = static_cast<unsigned char>(s[i + 2]);
      if ((c1 == 0x80 && c2 >= 0x8B && c2 <= 0x8D) || (c1 == 0x81 && c2 == 0xA0)) return 3;
    }
    if (c == 0xEF && i + 2 < n && static_cast<unsigned char>(s[i + 1]) == 0xBB &&
        static_cast<unsigned char>(s[i + 2]) == 0xBF) {  // U+FEFF
      return 3;
    }
    return 0;
  }

  std::string* out_;
  size_t cap_;
  int pending_ = 0;  // 0 none, 1 space, 2 newline
};

// What the walk collects before URLs are resolved (the <base> element may
// come after the first links, and every URL resolves against it).
struct RawForm {
  std::string action;
  Form form;
};

class Walker {
 public:
  Walker(Page* page, const PageLimits& limits)
      : page_(page), limits_(limits), text_(&page->text, limits.max_text_bytes),
        hidden_text_(&page->hidden_text, limits.max_hidden_text_bytes) {
    page_->attrs.reserve(64);  // a small page's worth; grows as usual past it
  }

  void Walk(const GumboNode* root);
  void Resolve(const std::string& page_url);

 private:
  struct Frame {
    const GumboNode* node;
    unsigned next_child;
    bool hidden;   // this element hides its text (script, style, ...)
    bool block;
    bool form;
    bool label = false;  // a <label> whose text names a field
    bool stash = false;  // <noscript>/<template>: its text goes to Page::hidden_text
    bool raw = false;    // <script>/<style>: its text is code, not hidden text
  };

  void Enter(const GumboNode* node, Frame& frame);
  void Leave(const Frame& frame);
  void OnAttrs(const GumboElement& el, std::string_view tag_name);
  void AddInput(const GumboElement& el, GumboTag tag);
  void FillInputLabels(const GumboElement& el, FormInput& in);
  void OpenLabelElement(const GumboElement& el, Frame& frame);
  void CloseLabelElement();
  void AttachLabels(Form& f) const;
  // A cap of PageLimits stopped the walk: named in page.truncated_by.
  void Truncate(const char* limit) { MarkTruncated(*page_, limit); }
  // ---- hidden parts (Page::comments, hidden_text): see HiddenParts below ----
  void OnComment(const GumboNode* node);
  void OnHiddenText(std::string_view text);
  void EnterHidden(GumboTag tag, bool is_template, Frame& frame);
  void LeaveHidden(const Frame& frame);
  // The normalized absolute URL of `ref`, or nullopt; memoised per page (the
  // reference stays valid for the Walker's life).
  const std::optional<std::string>& ResolveRef(std::string_view ref);

  static std::string_view Attr(const GumboElement& el, const char* name) {
    const GumboAttribute* a = gumbo_get_attribute(&el.attributes, name);
    return a ? std::string_view(a->value) : std::string_view();
  }

  Page* page_;
  const PageLimits& limits_;
  TextBuilder text_;
  bool text_full_ = false;
  int hidden_ = 0;            // >0 while inside script/style/noscript/template/title/head
  int stash_ = 0;             // >0 while inside noscript/template
  int raw_ = 0;               // >0 while inside script/style
  size_t comment_bytes_ = 0;
  TextBuilder hidden_text_;
  int current_form_ = -1;     // index into forms_
  size_t script_bytes_ = 0;

  std::string base_href_;
  bool base_seen_ = false;
  std::vector<std::string> links_raw_;
  std::vector<RawForm> forms_;
  RawForm orphan_;            // inputs outside any <form>
  std::vector<Script> scripts_raw_;
  std::vector<std::string> iframes_raw_;
  std::vector<Image> images_raw_;
  std::string favicon_raw_;
  std::string refresh_raw_;
  std::vector<std::string> redirects_raw_;
  // Field labels (FormInput::label): open <label for=...> elements and the
  // text they wrote, and where the visible text stood at the last input.
  struct OpenLabel {
    std::string for_id;
    size_t text_start;
  };
  std::vector<OpenLabel> labels_open_;
  std::unordered_map<std::string, std::string> label_for_;
  size_t text_at_last_input_ = 0;

  std::optional<Url> base_;  // only `normalized` is read once <base href> applies
  struct ViewHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
  };
  std::unordered_map<std::string, std::optional<std::string>, ViewHash, std::equal_to<>> resolved_;
};

void Walker::Walk(const GumboNode* root) {
  std::vector<Frame> stack;
  stack.reserve(64);
  stack.push_back({root, 0, false, false, false, false});
  while (!stack.empty()) {
    Frame& top = stack.back();
    const GumboNode* node = top.node;
    const GumboVector* children = nullptr;
    if (node->type == GUMBO_NODE_DOCUMENT) children = &node->v.document.children;
    else if (node->type == GUMBO_NODE_ELEMENT || node->type == GUMBO_NODE_TEMPLATE) children = &node->v.element.children;
    if (children == nullptr || top.next_child >= children->length) {
      Frame done = top;
      stack.pop_back();
      Leave(done);
      continue;
    }
    const GumboNode* child = static_cast<const GumboNode*>(children->data[top.next_child++]);
    switch (child->type) {
      case GUMBO_NODE_TEXT:
      case GUMBO_NODE_CDATA:
      case GUMBO_NODE_WHITESPACE:
        if (hidden_ == 0 && !text_full_) {
          if (!text_.Append(child->v.text.text)) {
            text_full_ = true;
            Truncate("max_text_bytes");
          }
        } else if (stash_ > 0 && raw_ == 0) {
          OnHiddenText(child->v.text.text);
        }
        break;
      case GUMBO_NODE_COMMENT:
        OnComment(child);
        break;
      case GUMBO_NODE_ELEMENT:
      case GUMBO_NODE_TEMPLATE: {
        if (static_cast<int>(stack.size()) > limits_.max_depth) {
          Truncate("max_depth");  // deeper than the cap: the subtree is not walked
          break;
        }
        Frame f{child, 0, false, false, false, false};
        Enter(child, f);
        stack.push_back(f);
        break;
      }
      default:
        break;
    }
  }
}

void Walker::Enter(const GumboNode* node, Frame& frame) {
  const GumboElement& el = node->v.element;
  GumboTag tag = el.tag;
  std::string_view tag_name = gumbo_normalized_tagname(tag);
  std::string unknown_name;
  if (tag == GUMBO_TAG_UNKNOWN) {
    GumboStringPiece piece = el.original_tag;
    gumbo_tag_from_original_text(&piece);
    unknown_name = AsciiLower(std::string_view(piece.data, piece.length));
    tag_name = unknown_name;
  }
  const bool html_ns = el.tag_namespace == GUMBO_NAMESPACE_HTML;

  if (IsBlock(tag)) {
    frame.block = true;
    text_.Block();
  }
  if (node->type == GUMBO_NODE_TEMPLATE || tag == GUMBO_TAG_SCRIPT || tag == GUMBO_TAG_STYLE ||
      tag == GUMBO_TAG_NOSCRIPT || tag == GUMBO_TAG_TEMPLATE || tag == GUMBO_TAG_HEAD ||
      tag == GUMBO_TAG_TITLE) {
    frame.hidden = true;
    ++hidden_;
  }

  EnterHidden(tag, node->type == GUMBO_NODE_TEMPLATE, frame);
  OnAttrs(el, tag_name);

  switch (tag) {
    case GUMBO_TAG_HTML:
      if (page_->lang.empty()) page_->lang = AsciiLower(Trim(Attr(el, "lang")));
      break;
    case GUMBO_TAG_TITLE:
      if (html_ns && page_->title.empty()) {
        std::string t;
        TextBuilder tb(&t, 4096);  // a title longer than 4 KiB is padding
        for (unsigned i = 0; i < el.children.length; ++i) {
          const GumboNode* c = static_cast<const GumboNode*>(el.children.data[i]);
          if (c->type == GUMBO_NODE_TEXT || c->type == GUMBO_NODE_WHITESPACE) tb.Append(c->v.text.text);
        }
        page_->title = std::move(t);
      }
      break;
    case GUMBO_TAG_BASE:
      if (!base_seen_) {
        const GumboAttribute* a = gumbo_get_attribute(&el.attributes, "href");
        if (a != nullptr) {
          base_seen_ = true;  // only the first <base href> counts (HTML spec)
          base_href_ = std::string(Trim(a->value));
        }
      }
      break;
    case GUMBO_TAG_A:
    case GUMBO_TAG_AREA:
    case GUMBO_TAG_LINK: {
      std::string_view href = Trim(Attr(el, "href"));
      if (!href.empty() && href.front() != '#') {
        if (links_raw_.size() < limits_.max_links * 2) links_raw_.emplace_back(href);
        else Truncate("max_links");
      }
      if (tag == GUMBO_TAG_LINK && favicon_raw_.empty() && !href.empty() &&
          HasToken(Attr(el, "rel"), "icon")) {
        favicon_raw_ = std::string(href);
      }
      break;
    }
    case GUMBO_TAG_FORM:
      if (html_ns && current_form_ < 0) {
        if (forms_.size() >= limits_.max_forms) {
          Truncate("max_forms");
          break;
        }
        RawForm f;
        f.action = std::string(Trim(Attr(el, "action")));
        std::string m = AsciiLower(Trim(Attr(el, "method")));
        f.form.method = (m == "post" || m == "dialog") ? m : "get";
        forms_.push_back(std::move(f));
        current_form_ = static_cast<int>(forms_.size()) - 1;
        frame.form = true;
      }
      break;
    case GUMBO_TAG_INPUT:
    case GUMBO_TAG_SELECT:
    case GUMBO_TAG_TEXTAREA:
      if (html_ns) AddInput(el, tag);
      break;
    case GUMBO_TAG_LABEL:
      if (html_ns) OpenLabelElement(el, frame);
      break;
    case GUMBO_TAG_SCRIPT: {
      if (scripts_raw_.size() >= limits_.max_scripts) {
        Truncate("max_scripts");
        break;
      }
      Script s;
      s.src = std::string(Trim(Attr(el, "src")));
      s.type = AsciiLower(Trim(Attr(el, "type")));
      for (unsigned i = 0; i < el.children.length; ++i) {
        const GumboNode* c = static_cast<const GumboNode*>(el.children.data[i]);
        if (c->type != GUMBO_NODE_TEXT && c->type != GUMBO_NODE_WHITESPACE && c->type != GUMBO_NODE_CDATA) continue;
        std::string_view t = c->v.text.text;
        size_t room = limits_.max_script_bytes - script_bytes_;
        if (t.size() > room) {
          t = t.substr(0, room);
          Truncate("max_script_bytes");
        }
        s.text.append(t);
        script_bytes_ += t.size();
      }
      if (!s.src.empty() || !s.text.empty()) scripts_raw_.push_back(std::move(s));
      break;
    }
    case GUMBO_TAG_IFRAME:
    case GUMBO_TAG_FRAME: {
      std::string_view src = Trim(Attr(el, "src"));
      if (!src.empty()) {
        if (iframes_raw_.size() < limits_.max_iframes) iframes_raw_.emplace_back(src);
        else Truncate("max_iframes");
      }
      break;
    }
    case GUMBO_TAG_IMG: {
      std::string_view src = Trim(Attr(el, "src"));
      if (src.empty()) src = Trim(Attr(el, "data-src"));  // lazy loaders
      if (images_raw_.size() < limits_.max_images) {
        if (!src.empty() || !Attr(el, "alt").empty()) images_raw_.push_back({std::string(src), std::string(Attr(el, "alt"))});
      } else {
        Truncate("max_images");
      }
      break;
    }
    case GUMBO_TAG_META: {
      std::string_view content = Attr(el, "content");
      std::string_view key = Attr(el, "name");
      if (key.empty()) key = Attr(el, "property");
      std::string_view equiv = Attr(el, "http-equiv");
      if (key.empty() && StartsWithNoCase(Trim(equiv), "refresh") && Trim(equiv).size() == 7) {
        key = "refresh";
        if (refresh_raw_.empty()) refresh_raw_ = MetaRefreshTarget(content);
      }
      if (!key.empty()) {
        std::string k = AsciiLower(Trim(key));
        if (page_->meta.size() < limits_.max_meta) page_->meta.emplace(std::move(k), std::string(Trim(content)));
        else if (page_->meta.count(k) == 0) Truncate("max_meta");
      }
      break;
    }
    default:
      break;
  }
}

void Walker::Leave(const Frame& frame) {
  if (frame.label) CloseLabelElement();
  LeaveHidden(frame);
  if (frame.hidden) --hidden_;
  if (frame.block) text_.Block();
  if (frame.form) current_form_ = -1;
}

// ------------------------------------------------------------ hidden parts ---
// Comments and the text of <noscript>/<template>: not shown to a reader with
// JavaScript on, and where kits park contacts (old ones, or ones meant only
// for no-script visitors). Kept apart from Page::text, which is what is shown.

void Walker::EnterHidden(GumboTag tag, bool is_template, Frame& frame) {
  if (is_template || tag == GUMBO_TAG_NOSCRIPT || tag == GUMBO_TAG_TEMPLATE) {
    frame.stash = true;
    ++stash_;
    hidden_text_.Block();
  }
  if (tag == GUMBO_TAG_SCRIPT || tag == GUMBO_TAG_STYLE) {
    frame.raw = true;
    ++raw_;
  }
  if (stash_ > 0 && frame.block) hidden_text_.Block();
}

void Walker::LeaveHidden(const Frame& frame) {
  if (frame.stash) {
    --stash_;
    hidden_text_.Block();
  }
  if (frame.raw) --raw_;
  if (stash_ > 0 && frame.block) hidden_text_.Block();
}

void Walker::OnHiddenText(std::string_view text) {
  if (!hidden_text_.Append(text)) Truncate("max_hidden_text_bytes");
}

void Walker::OnComment(const GumboNode* node) {
  std::string_view text = node->v.text.text;
  if (text.empty()) return;
  if (page_->comments.size() >= limits_.max_comments || comment_bytes_ >= limits_.max_comment_bytes) {
    Truncate(page_->comments.size() >= limits_.max_comments ? "max_comments" : "max_comment_bytes");
    return;
  }
  size_t room = limits_.max_comment_bytes - comment_bytes_;
  if (text.size() > room) {
    text = text.substr(0, room);
    Truncate("max_comment_bytes");
  }
  comment_bytes_ += text.size();
  page_->comments.emplace_back(text);
}

void Walker::AddInput(const GumboElement& el, GumboTag tag) {
  RawForm& target = current_form_ >= 0 ? forms_[current_form_] : orphan_;
  Form& f = target.form;
  if (f.inputs.size() >= limits_.max_inputs_per_form) {
    Truncate("max_inputs_per_form");
    return;
  }
  FormInput in;
  in.name = std::string(Attr(el, "name"));
  if (tag == GUMBO_TAG_SELECT) in.type = "select";
  else if (tag == GUMBO_TAG_TEXTAREA) in.type = "textarea";
  else {
    in.type = AsciiLower(Trim(Attr(el, "type")));
    if (in.type.empty()) in.type = "text";
  }
  in.value = std::string(Attr(el, "value"));
  if (in.value.size() > limits_.max_attr_value_bytes) {
    in.value.resize(limits_.max_attr_value_bytes);
    Truncate("max_attr_value_bytes");
  }
  FillInputLabels(el, in);
  if (in.type == "password") f.has_password = true;
  if (!f.has_card && in.type != "hidden") {
    for (const char* a : {"name", "id", "autocomplete", "placeholder", "aria-label", "data-card"}) {
      std::string_view v = Attr(el, a);
      if (!v.empty() && LooksLikeCardField(v)) {
        f.has_card = true;
        break;
      }
    }
  }
  f.inputs.push_back(std::move(in));
}

// ----------------------------------------------------------- field labels ---

// The last line of `text` after byte `from`, trimmed, when it is short
// enough to be a field's label (at most kMaxInputLabelBytes); else "".
std::string LastLine(const std::string& text, size_t from) {
  if (from >= text.size()) return "";
  std::string_view t(text);
  t.remove_prefix(from);
  size_t nl = t.rfind('\n');
  if (nl != std::string_view::npos) t.remove_prefix(nl + 1);
  t = Trim(t);
  if (t.size() > kMaxInputLabelBytes) return "";
  return std::string(t);
}

std::string CutAttr(std::string_view v) {
  v = Trim(v);
  if (v.size() <= kMaxInputLabelBytes) return std::string(v);
  size_t n = kMaxInputLabelBytes;
  while (n > 0 && (static_cast<unsigned char>(v[n]) & 0xC0) == 0x80) --n;
  return std::string(v.substr(0, n));
}

void Walker::FillInputLabels(const GumboElement& el, FormInput& in) {
  in.id = CutAttr(Attr(el, "id"));
  in.placeholder = CutAttr(Attr(el, "placeholder"));
  in.autocomplete = AsciiLower(CutAttr(Attr(el, "autocomplete")));
  in.aria_label = CutAttr(Attr(el, "aria-label"));
  // Inside an open <label>: its text so far; else the text since the last field.
  size_t from = text_at_last_input_;
  if (!labels_open_.empty()) from = std::max(from, labels_open_.back().text_start);
  in.label = LastLine(page_->text, from);
  text_at_last_input_ = page_->text.size();
}

void Walker::OpenLabelElement(const GumboElement& el, Frame& frame) {
  // Label elements nest only by mistake; a bounded stack either way.
  constexpr size_t kMaxOpenLabels = 16;
  if (labels_open_.size() >= kMaxOpenLabels) return;
  labels_open_.push_back({CutAttr(Attr(el, "for")), page_->text.size()});
  frame.label = true;
}

void Walker::CloseLabelElement() {
  if (labels_open_.empty()) return;
  OpenLabel l = std::move(labels_open_.back());
  labels_open_.pop_back();
  // Bounded like the inputs that can use them.
  if (l.for_id.empty() || label_for_.size() >= limits_.max_forms * limits_.max_inputs_per_form) return;
  std::string text = LastLine(page_->text, l.text_start);
  if (!text.empty()) label_for_.emplace(std::move(l.for_id), std::move(text));
  // The label's own text is not the next field's label.
  text_at_last_input_ = std::max(text_at_last_input_, page_->text.size());
}

void Walker::AttachLabels(Form& f) const {
  if (label_for_.empty()) return;
  for (FormInput& in : f.inputs) {
    if (in.id.empty()) continue;
    auto it = label_for_.find(in.id);
    if (it != label_for_.end()) in.label = it->second;
  }
}

void Walker::OnAttrs(const GumboElement& el, std::string_view tag_name) {
  for (unsigned i = 0; i < el.attributes.length; ++i) {
    const GumboAttribute* a = static_cast<const GumboAttribute*>(el.attributes.data[i]);
    std::string_view name = a->name;
    std::string_view value = a->value;
    if (value.empty() || !IsScannedAttr(name)) continue;
    if (name.size() > 2 && name[0] == 'o' && name[1] == 'n' && redirects_raw_.size() < limits_.max_js_redirects) {
      for (auto& r : FindJsRedirectLiterals(value, limits_.max_js_redirects - redirects_raw_.size())) {
        redirects_raw_.push_back(std::move(r));
      }
    }
    if (page_->attrs.size() >= limits_.max_attrs) {
      Truncate("max_attrs");
      continue;
    }
    if (value.size() > limits_.max_attr_value_bytes) {
      value = value.substr(0, limits_.max_attr_value_bytes);
      Truncate("max_attr_value_bytes");
    }
    page_->attrs.push_back({std::string(tag_name), std::string(name), std::string(value)});
  }
}

const std::optional<std::string>& Walker::ResolveRef(std::string_view ref) {
  static const std::optional<std::string> kNone;
  ref = Trim(ref);
  if (ref.empty()) return kNone;
  auto it = resolved_.find(ref);
  if (it != resolved_.end()) return it->second;
  std::optional<std::string> out;
  if (base_) {
    out = urlfast::ResolveOrCurl(*base_, ref);
  } else if (Result<Url> u = urlfast::ParseUrlOrCurl(ref); u.ok()) {
    out = std::move(u->normalized);
  }
  return resolved_.emplace(std::string(ref), std::move(out)).first->second;
}

void Walker::Resolve(const std::string& page_url) {
  Result<Url> page = urlfast::ParseUrlOrCurl(page_url);
  if (page.ok()) {
    base_ = *page;
    if (!base_href_.empty()) {
      // Relative references resolve against the base's normalized form
      // only (urlfast::ResolveOrCurl and core/url.h ResolveUrl alike).
      if (std::optional<std::string> b = urlfast::ResolveOrCurl(*page, base_href_)) {
        base_->normalized = std::move(*b);
        page_->base_href = base_->normalized;
      }
    }
  }

  // Deduplication keys are views of resolved_'s values (stable: nodes).
  std::unordered_set<std::string_view> seen;
  seen.reserve(links_raw_.size());
  for (const std::string& raw : links_raw_) {
    const auto& r = ResolveRef(raw);
    if (!r || !seen.insert(*r).second) continue;
    if (page_->links.size() >= limits_.max_links) {
      Truncate("max_links");
      break;
    }
    page_->links.push_back(*r);
  }

  auto finish_form = [&](RawForm& rf) {
    Form f = std::move(rf.form);
    AttachLabels(f);
    if (rf.action.empty()) {
      f.action = page.ok() ? page->normalized : page_url;
    } else {
      const auto& r = ResolveRef(rf.action);
      f.action = r ? *r : rf.action;  // javascript:... kept as written (a signal in itself)
    }
    page_->forms.push_back(std::move(f));
  };
  for (RawForm& rf : forms_) finish_form(rf);
  if (!orphan_.form.inputs.empty()) {
    orphan_.form.method = "get";
    finish_form(orphan_);
  }

  for (Script& s : scripts_raw_) {
    if (!s.src.empty()) {
      const auto& r = ResolveRef(s.src);
      if (!r) {
        if (s.text.empty()) continue;
        s.src.clear();
      } else {
        s.src = *r;
      }
    }
    if (!s.text.empty() && redirects_raw_.size() < limits_.max_js_redirects) {
      for (auto& t : FindJsRedirectLiterals(s.text, limits_.max_js_redirects - redirects_raw_.size())) {
        redirects_raw_.push_back(std::move(t));
      }
    }
    page_->scripts.push_back(std::move(s));
  }

  std::unordered_set<std::string_view> seen_frames;
  for (const std::string& raw : iframes_raw_) {
    const auto& r = ResolveRef(raw);
    if (r && seen_frames.insert(*r).second) page_->iframes.push_back(*r);
  }
  for (Image& im : images_raw_) {
    std::string src;
    if (!im.src.empty()) {
      const auto& r = ResolveRef(im.src);
      if (r) src = *r;
    }
    if (src.empty() && im.alt.empty()) continue;
    page_->images.push_back({std::move(src), std::move(im.alt)});
  }

  if (!favicon_raw_.empty()) {
    if (const auto& r = ResolveRef(favicon_raw_)) page_->favicon = *r;
  }
  if (page_->favicon.empty() && page.ok()) {
    // The origin's /favicon.ico, from the parsed page URL (its normal form
    // already lowercases, punycodes and drops default ports).
    const Url& u = *page;
    bool default_port = (u.scheme == "http" && u.port == 80) || (u.scheme == "https" && u.port == 443);
    std::string host = u.host.find(':') != std::string::npos ? "[" + u.host + "]" : u.host;
    page_->favicon = u.scheme + "://" + host + (default_port ? "" : ":" + std::to_string(u.port)) + "/favicon.ico";
  }
  if (!refresh_raw_.empty()) {
    if (const auto& r = ResolveRef(refresh_raw_)) page_->meta_refresh = *r;
  }
  std::unordered_set<std::string_view> seen_redirects;
  for (const std::string& raw : redirects_raw_) {
    const auto& r = ResolveRef(raw);
    if (r && seen_redirects.insert(*r).second) page_->js_redirects.push_back(*r);
  }
}

inline bool IsIdentChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '$' || static_cast<unsigned char>(c) >= 0x80;
}

inline size_t SkipJsSpace(std::string_view s, size_t i) {
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')) ++i;
  return i;
}

// Reads a JS string literal starting at s[i] (a quote). Handles \-escapes of
// the quote, backslash and "/"; returns nullopt when it is not a literal or
// it holds a ${...} substitution.
std::optional<std::string> ReadJsString(std::string_view s, size_t i) {
  if (i >= s.size()) return std::nullopt;
  char q = s[i];
  if (q != '"' && q != '\'' && q != '`') return std::nullopt;
  std::string out;
  constexpr size_t kMaxLiteral = 8192;  // longest URL core/url.h accepts
  for (size_t j = i + 1; j < s.size(); ++j) {
    char c = s[j];
    if (c == q) return out;
    if (c == '\n' && q != '`') return std::nullopt;
    if (q == '`' && c == '$' && j + 1 < s.size() && s[j + 1] == '{') return std::nullopt;
    if (c == '\\' && j + 1 < s.size()) {
      c = s[++j];
      if (c == 'x' && j + 2 < s.size()) {  // \x2f
        auto hex = [](char h) -> int {
          if (h >= '0' && h <= '9') return h - '0';
          h = AsciiLower(h);
          return (h >= 'a' && h <= 'f') ? h - 'a' + 10 : -1;
        };
        int hi = hex(s[j + 1]), lo = hex(s[j + 2]);
        if (hi < 0 || lo < 0) return std::nullopt;
        c = static_cast<char>(hi * 16 + lo);
        j += 2;
      }
    }
    if (out.size() >= kMaxLiteral) return std::nullopt;
    out.push_back(c);
  }
  return std::nullopt;
}

}  // namespace

namespace {

// A literal redirect target: the literal, unless an expression goes on after
// it ("https://a-" + "b.com/", "/x?id=" + id): a computed target is not
// followed (the extractors fold what they can of it).
std::optional<std::string> WholeJsString(std::string_view s, size_t i) {
  std::optional<std::string> lit = ReadJsString(s, i);
  if (!lit) return lit;
  // Past the literal: its closing quote is the first unescaped one.
  char q = s[i];
  size_t j = i + 1;
  while (j < s.size() && s[j] != q) j += s[j] == '\\' ? 2 : 1;
  j = SkipJsSpace(s, j + 1);
  if (j < s.size() && (s[j] == '+' || s[j] == '.' || s[j] == '[')) return std::nullopt;
  return lit;
}

}  // namespace

std::vector<std::string> FindJsRedirectLiterals(std::string_view s, size_t max) {
  std::vector<std::string> out;
  static constexpr std::string_view kWord = "location";
  size_t pos = 0;
  while (out.size() < max) {
    pos = s.find(kWord, pos);
    if (pos == std::string_view::npos) break;
    size_t start = pos;
    pos += kWord.size();
    if (start > 0 && IsIdentChar(s[start - 1])) continue;  // "relocation"
    if (pos < s.size() && IsIdentChar(s[pos])) continue;   // "locationbar"
    size_t i = SkipJsSpace(s, pos);
    if (i < s.size() && s[i] == '.') {
      size_t m = SkipJsSpace(s, i + 1);
      std::string_view rest = s.substr(m);
      if (rest.substr(0, 4) == "href" && (rest.size() == 4 || !IsIdentChar(rest[4]))) {
        i = SkipJsSpace(s, m + 4);
      } else {
        size_t name_len = 0;
        if (rest.substr(0, 7) == "replace") name_len = 7;
        else if (rest.substr(0, 6) == "assign") name_len = 6;
        if (name_len == 0 || (rest.size() > name_len && IsIdentChar(rest[name_len]))) continue;
        i = SkipJsSpace(s, m + name_len);
        if (i >= s.size() || s[i] != '(') continue;
        i = SkipJsSpace(s, i + 1);
        if (auto lit = WholeJsString(s, i)) out.push_back(std::move(*lit));
        continue;
      }
    }
    // Assignment: "=" but not "==" / "===".
    if (i >= s.size() || s[i] != '=' || (i + 1 < s.size() && s[i + 1] == '=')) continue;
    i = SkipJsSpace(s, i + 1);
    if (auto lit = WholeJsString(s, i)) out.push_back(std::move(*lit));
  }
  return out;
}

std::string MetaRefreshTarget(std::string_view content) {
  // "<delay>[;,] url=<target>" ; the url= part is optional ("5; /next").
  size_t i = 0;
  while (i < content.size() && IsHtmlSpace(content[i])) ++i;
  while (i < content.size() && ((content[i] >= '0' && content[i] <= '9') || content[i] == '.')) ++i;
  while (i < content.size() && IsHtmlSpace(content[i])) ++i;
  if (i < content.size() && (content[i] == ';' || content[i] == ',')) ++i;
  while (i < content.size() && IsHtmlSpace(content[i])) ++i;
  std::string_view rest = content.substr(i);
  if (StartsWithNoCase(rest, "url")) {
    size_t j = 3;
    while (j < rest.size() && IsHtmlSpace(rest[j])) ++j;
    if (j < rest.size() && rest[j] == '=') {
      ++j;
      while (j < rest.size() && IsHtmlSpace(rest[j])) ++j;
      rest = rest.substr(j);
    }
  }
  if (!rest.empty() && (rest.front() == '\'' || rest.front() == '"')) {
    char q = rest.front();
    rest.remove_prefix(1);
    size_t end = rest.find(q);
    if (end != std::string_view::npos) rest = rest.substr(0, end);
  }
  return std::string(Trim(rest));
}

void MarkTruncated(Page& page, const char* limit) {
  page.truncated = true;
  for (const std::string& l : page.truncated_by) {
    if (l == limit) return;
  }
  page.truncated_by.emplace_back(limit);
}

Page ParsePage(std::string_view html, const std::string& url, const PageLimits& limits) {
  Page page;
  page.url = url;
  if (html.size() > limits.max_input_bytes) {
    html = html.substr(0, limits.max_input_bytes);
    MarkTruncated(page, "max_input_bytes");
  }
  size_t safe = NestingSafePrefix(html, limits.max_depth);
  if (safe < html.size()) {
    html = html.substr(0, safe);
    MarkTruncated(page, "max_depth");
  }
  thread_local GumboArena arena;
  GumboOptions options = kGumboDefaultOptions;
  options.max_errors = 0;  // we never read parse errors; do not store them
  options.allocator = &GumboArena::Allocate;
  options.deallocator = &GumboArena::Deallocate;
  options.userdata = &arena;
  GumboOutput* out = gumbo_parse_with_options(&options, html.data(), html.size());
  if (out == nullptr) {  // allocation failure inside Gumbo
    arena.Reset();
    return page;
  }
  Walker w(&page, limits);
  w.Walk(out->document);
  // No gumbo_destroy_output: every byte of the tree is in the arena.
  arena.Reset();
  w.Resolve(url);
  return page;
}

}  // namespace dragnet::extractors
