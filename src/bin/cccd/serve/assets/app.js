// The check-in page: reads the card through this service's desk API, follows the reader over
// Server-Sent Events, shows the holder and the verdict. Nothing is stored in the browser.
"use strict";

const T = {
  vi: {
    title: "Đọc thẻ căn cước (CCCD)",
    reader_unknown: "Đang kiểm tra đầu đọc…",
    reader_present: "Có thẻ trên đầu đọc",
    reader_absent: "Chưa có thẻ",
    reader_none: "Không có đầu đọc",
    key_label: "Số CCCD (12 chữ số) hoặc nội dung mã QR",
    read: "Đọc thẻ",
    clear: "Xóa",
    hint: "Đặt thẻ lên đầu đọc, nhập số CCCD in trên thẻ rồi bấm “Đọc thẻ”.",
    full_name: "Họ và tên",
    id_number: "Số định danh",
    date_of_birth: "Ngày sinh",
    sex: "Giới tính",
    nationality: "Quốc tịch",
    place_of_origin: "Quê quán",
    place_of_residence: "Nơi thường trú",
    date_of_issue: "Ngày cấp",
    date_of_expiry: "Có giá trị đến",
    footer: "Dữ liệu chỉ nằm trong bộ nhớ của dịch vụ này và được xóa khi rút thẻ.",
    lang: "English",
    connecting: "Đang thiết lập kênh an toàn…",
    reading: "Đang đọc",
    genuine: "THẺ THẬT — dữ liệu và chip đã được xác thực",
    not_genuine: "KHÔNG XÁC THỰC ĐƯỢC THẺ — không được chấp nhận",
    no_verdict: "Đã đọc, nhưng chưa có kết luận xác thực",
    empty_key: "Hãy nhập số CCCD hoặc dán nội dung mã QR.",
    removed: "Thẻ đã được rút ra; thông tin đã được xóa.",
    err_wrong_access_key: "Số CCCD không khớp với thẻ: thẻ từ chối khóa truy cập. Kiểm tra lại số in trên thẻ.",
    err_no_card: "Chưa có thẻ trên đầu đọc, hoặc thẻ đã bị rút ra.",
    err_busy: "Đang đọc một thẻ khác, vui lòng chờ.",
    err_bad_request: "Số CCCD hoặc mã QR không hợp lệ.",
    err_other: "Không đọc được thẻ",
    err_network: "Không kết nối được với dịch vụ cccd.",
    r_data: "Dữ liệu không được chứng thực (xác thực thụ động)",
    r_chip_authentication_failed: "Xác thực chip (Chip Authentication) thất bại: chip có thể là bản sao",
    r_active_authentication_failed: "Xác thực chủ động (Active Authentication) thất bại: chip có thể là bản sao",
    r_chip_not_proven: "Chip chưa chứng minh được là chip thật (chip / active authentication)",
    r_sod_signature_invalid: "Chữ ký SOD không hợp lệ (xác thực thụ động)",
    r_chain_untrusted: "Chứng thư ký không thuộc CSCA tin cậy (xác thực thụ động)",
    r_data_group_hash_mismatch: "Dữ liệu trên chip đã bị sửa (xác thực thụ động)",
  },
  en: {
    title: "Citizen ID card (CCCD) check-in",
    reader_unknown: "Checking the reader…",
    reader_present: "Card on the reader",
    reader_absent: "No card",
    reader_none: "No reader",
    key_label: "ID number (12 digits) or the QR code text",
    read: "Read card",
    clear: "Clear",
    hint: "Put the card on the reader, type the ID number printed on it and press “Read card”.",
    full_name: "Full name",
    id_number: "ID number",
    date_of_birth: "Date of birth",
    sex: "Sex",
    nationality: "Nationality",
    place_of_origin: "Place of origin",
    place_of_residence: "Place of residence",
    date_of_issue: "Date of issue",
    date_of_expiry: "Valid until",
    footer: "The data stays in this service's memory only and is wiped when the card is removed.",
    lang: "Tiếng Việt",
    connecting: "Opening the secure channel…",
    reading: "Reading",
    genuine: "GENUINE — data and chip authenticated",
    not_genuine: "NOT GENUINE — do not accept this card",
    no_verdict: "Read, but no authenticity verdict",
    empty_key: "Type the ID number or paste the QR code text.",
    removed: "The card was removed; its data was cleared.",
    err_wrong_access_key: "Wrong ID number: the card refused the access key. Check the number printed on the card.",
    err_no_card: "No card on the reader, or the card was removed.",
    err_busy: "Another card is being read; please wait.",
    err_bad_request: "The ID number or QR text is not valid.",
    err_other: "The card could not be read",
    err_network: "Cannot reach the cccd service.",
    r_data: "The data is not proven authentic (passive authentication)",
    r_chip_authentication_failed: "Chip authentication failed: the chip may be a clone",
    r_active_authentication_failed: "Active authentication failed: the chip may be a clone",
    r_chip_not_proven: "The chip did not prove itself (chip / active authentication)",
    r_sod_signature_invalid: "The SOD signature is invalid (passive authentication)",
    r_chain_untrusted: "The signer does not chain to a trusted CSCA (passive authentication)",
    r_data_group_hash_mismatch: "The chip's data was altered (passive authentication)",
  },
};

const FIELDS = ["full_name", "id_number", "date_of_birth", "sex", "nationality",
  "place_of_origin", "place_of_residence", "date_of_issue", "date_of_expiry"];

let lang = "vi";
let readerState = "unknown";
let shown = null; // { kind: "result", report } | { kind: "error", code, message } | { kind: "info", key }
let faceUrl = null;
let reading = false;

const $ = (id) => document.getElementById(id);
const t = (key) => T[lang][key] ?? T.en[key] ?? key;

function applyLanguage() {
  document.documentElement.lang = lang;
  for (const el of document.querySelectorAll("[data-i18n]")) {
    el.textContent = t(el.dataset.i18n);
  }
  $("lang").textContent = t("lang");
  showReader();
  render();
}

function showReader() {
  const el = $("reader");
  el.dataset.state = readerState;
  el.dataset.i18n = "reader_" + readerState;
  el.textContent = t("reader_" + readerState);
}

function reasonText(f) {
  const own = T[lang]["r_" + f.code];
  if (own) return own;
  return (f.kind === "data" ? t("r_data") : t("r_chip_not_proven")) + " [" + f.code + "]";
}

function render() {
  const banner = $("banner");
  const reasons = $("banner-reasons");
  reasons.replaceChildren();
  banner.className = "banner";
  if (!shown) {
    banner.hidden = true;
    $("card").hidden = true;
    return;
  }
  banner.hidden = false;
  if (shown.kind === "error") {
    banner.classList.add("error");
    banner.dataset.verdict = "error";
    banner.dataset.code = shown.code;
    const own = T[lang]["err_" + shown.code];
    $("banner-title").textContent = own ?? (t("err_other") + ": " + shown.message);
    $("card").hidden = true;
    return;
  }
  if (shown.kind === "info") {
    banner.classList.add("error");
    banner.dataset.verdict = "info";
    banner.dataset.code = shown.key;
    $("banner-title").textContent = t(shown.key);
    $("card").hidden = true;
    return;
  }
  const report = shown.report;
  const v = report.verification;
  const blocking = v ? v.findings.filter((f) => f.kind !== "info") : [];
  if (v && v.genuine) {
    banner.classList.add("genuine");
    banner.dataset.verdict = "genuine";
    $("banner-title").textContent = t("genuine");
  } else if (v) {
    banner.classList.add("not-genuine");
    banner.dataset.verdict = "not-genuine";
    $("banner-title").textContent = t("not_genuine");
    for (const f of blocking) {
      const li = document.createElement("li");
      li.dataset.code = f.code;
      li.textContent = reasonText(f);
      reasons.append(li);
    }
  } else {
    banner.classList.add("error");
    banner.dataset.verdict = "none";
    $("banner-title").textContent = t("no_verdict");
  }
  banner.dataset.code = blocking.map((f) => f.code).join(" ");
  const d = holder(report);
  for (const f of FIELDS) $("f-" + f).textContent = d[f] ?? "—";
  $("card").hidden = false;
}

// DG13 (the CCCD's personal data), or the MRZ of another eMRTD.
function holder(report) {
  if (report.dg13) return report.dg13;
  const m = report.dg1 && report.dg1.mrz;
  if (!m) return {};
  return {
    full_name: [m.primary_identifier, m.secondary_identifier].filter(Boolean).join(" "),
    id_number: m.vn_id_number ?? m.document_number,
    date_of_birth: m.date_of_birth,
    sex: m.sex,
    nationality: m.nationality,
    date_of_expiry: m.date_of_expiry,
  };
}

function setProgress(percent, text) {
  $("progress").hidden = false;
  $("bar").style.width = Math.max(0, Math.min(100, percent)) + "%";
  $("progress-text").textContent = text;
}

function hideProgress() {
  $("progress").hidden = true;
  $("bar").style.width = "0";
}

function clearPage(info) {
  shown = info ? { kind: "info", key: info } : null;
  if (faceUrl) URL.revokeObjectURL(faceUrl);
  faceUrl = null;
  $("photo").removeAttribute("src");
  for (const f of FIELDS) $("f-" + f).textContent = "";
  hideProgress();
  render();
}

async function readCard(event) {
  event.preventDefault();
  if (reading) return;
  const text = $("key").value.trim();
  if (!text) {
    shown = { kind: "info", key: "empty_key" };
    render();
    return;
  }
  const body = /^\d{12}$/.test(text.replace(/\s/g, ""))
    ? { id_number: text.replace(/\s/g, "") }
    : /^\d{6}$/.test(text) ? { can: text } : { qr: text };
  clearPage(null);
  reading = true;
  $("read").disabled = true;
  setProgress(2, t("connecting"));
  try {
    const r = await fetch("/api/v1/read", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
      cache: "no-store",
    });
    const json = await r.json();
    if (r.ok) {
      shown = { kind: "result", report: json };
      $("key").value = "";
      await loadFace();
    } else {
      const e = json.error || {};
      shown = { kind: "error", code: e.code || "other", message: e.message || String(r.status) };
    }
  } catch (_) {
    shown = { kind: "error", code: "network", message: "" };
  } finally {
    reading = false;
    $("read").disabled = false;
    hideProgress();
    render();
  }
}

async function loadFace() {
  try {
    const r = await fetch("/api/v1/face", { cache: "no-store" });
    if (!r.ok) return;
    faceUrl = URL.createObjectURL(await r.blob());
    $("photo").src = faceUrl;
  } catch (_) {
    // No face: the fields still show.
  }
}

async function clearAll() {
  clearPage(null);
  $("key").value = "";
  try {
    await fetch("/api/v1/clear", { method: "POST", cache: "no-store" });
  } catch (_) {
    // The page is clear either way.
  }
}

function follow() {
  const events = new EventSource("/api/v1/events");
  const parse = (e) => { try { return JSON.parse(e.data); } catch (_) { return {}; } };
  const readersChanged = (list) => {
    readerState = !list || list.length === 0 ? "none"
      : list.some((r) => r.card_present) ? "present" : "absent";
    showReader();
  };
  events.addEventListener("hello", (e) => readersChanged(parse(e).readers));
  events.addEventListener("card", (e) => {
    const d = parse(e);
    readerState = d.event === "inserted" ? "present" : "absent";
    showReader();
  });
  events.addEventListener("reader", () => {
    fetch("/api/v1/readers", { cache: "no-store" })
      .then((r) => r.json()).then((j) => readersChanged(j.readers)).catch(() => {});
  });
  events.addEventListener("progress", (e) => {
    if (!reading) return;
    const d = parse(e);
    if (d.phase) setProgress(4, t("connecting"));
    else setProgress(d.file === "DG2" ? 10 + d.percent * 0.85 : 8, t("reading") + " " + d.file + (d.total ? " " + d.percent + " %" : ""));
  });
  events.addEventListener("cleared", (e) => {
    if (parse(e).reason === "card_removed" && shown) clearPage("removed");
  });
}

document.addEventListener("DOMContentLoaded", () => {
  $("form").addEventListener("submit", readCard);
  $("clear").addEventListener("click", clearAll);
  $("lang").addEventListener("click", () => { lang = lang === "vi" ? "en" : "vi"; applyLanguage(); });
  applyLanguage();
  follow();
});
