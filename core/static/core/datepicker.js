// Khet date picker: a month calendar next to every <input data-khet-datepicker>.
// The field speaks its own language (data-locale): Thai shows and writes Buddhist Era years
// (Gregorian + 543), English Gregorian ones; both write dd/mm/yyyy, which the server reads.
// No inline script or style: the page's Content Security Policy forbids both.
(function () {
  "use strict";

  var BE_OFFSET = 543;
  var FIRST_BE_YEAR = 2400; // as core.i18n.thaidate: from here on a year is a Buddhist Era year
  var TEXT = {
    th: {
      months: ["มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
        "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม"],
      weekdays: ["อา", "จ", "อ", "พ", "พฤ", "ศ", "ส"],
      yearOffset: BE_OFFSET,
      yearPrefix: "พ.ศ. ",
      open: "เลือกวันที่",
      dialog: "ปฏิทิน",
      previous: "เดือนก่อนหน้า",
      next: "เดือนถัดไป",
      month: "เดือน",
      year: "ปี",
      today: "วันนี้",
      close: "ปิด"
    },
    en: {
      months: ["January", "February", "March", "April", "May", "June",
        "July", "August", "September", "October", "November", "December"],
      weekdays: ["Su", "Mo", "Tu", "We", "Th", "Fr", "Sa"],
      yearOffset: 0,
      yearPrefix: "",
      open: "Choose a date",
      dialog: "Calendar",
      previous: "Previous month",
      next: "Next month",
      month: "Month",
      year: "Year",
      today: "Today",
      close: "Close"
    }
  };
  var YEARS_BACK = 100;
  var YEARS_AHEAD = 10;
  var THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙";
  var SVG = "http://www.w3.org/2000/svg";
  var DAY = "khet-datepicker-day";

  var state = null; // {input, toggle, text, selected, focused, popup} while a calendar is open

  function textOf(input) {
    return TEXT[input.getAttribute("data-locale")] || TEXT.th;
  }

  function el(tag, className, content) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (content !== undefined) { node.textContent = content; }
    return node;
  }

  function pad(number) {
    return (number < 10 ? "0" : "") + number;
  }

  function sameDay(a, b) {
    return !!a && !!b && a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() &&
      a.getDate() === b.getDate();
  }

  function today() {
    var now = new Date();
    return new Date(now.getFullYear(), now.getMonth(), now.getDate());
  }

  // "15/01/2569" (Thai digits too) -> the Gregorian date, or null when it is not a date. The
  // calendar opens on the day meant even when the year is in the other era (the server says so).
  function parse(value) {
    var arabic = value.replace(/[๐-๙]/g, function (digit) { return String(THAI_DIGITS.indexOf(digit)); });
    var match = /^\s*(\d{1,2})\s*[\/.\-]\s*(\d{1,2})\s*[\/.\-]\s*(\d{4})\s*$/.exec(arabic);
    if (!match) { return null; }
    var year = Number(match[3]);
    if (year >= FIRST_BE_YEAR) { year -= BE_OFFSET; }
    var day = new Date(year, Number(match[2]) - 1, Number(match[1]));
    return day.getDate() === Number(match[1]) ? day : null;
  }

  function format(day, text) {
    return pad(day.getDate()) + "/" + pad(day.getMonth() + 1) + "/" + (day.getFullYear() + text.yearOffset);
  }

  function addDays(day, count) {
    return new Date(day.getFullYear(), day.getMonth(), day.getDate() + count);
  }

  // The same day of another month, kept within that month (31 Jan + 1 month = 28/29 Feb).
  function addMonths(day, count) {
    var first = new Date(day.getFullYear(), day.getMonth() + count, 1);
    var last = new Date(first.getFullYear(), first.getMonth() + 1, 0).getDate();
    return new Date(first.getFullYear(), first.getMonth(), Math.min(day.getDate(), last));
  }

  function calendarIcon() {
    var svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    [["rect", { x: "3", y: "5", width: "18", height: "16", rx: "2" }],
      ["path", { d: "M3 10h18M8 3v4M16 3v4" }]].forEach(function (shape) {
      var node = document.createElementNS(SVG, shape[0]);
      Object.keys(shape[1]).forEach(function (name) { node.setAttribute(name, shape[1][name]); });
      svg.appendChild(node);
    });
    return svg;
  }

  function enhance(input) {
    if (input.parentNode.classList.contains("khet-datepicker")) { return; }
    var text = textOf(input);
    var wrapper = el("span", "khet-datepicker");
    // Bootstrap shows a field's message only after a sibling marked is-invalid: the wrapper
    // is now that sibling.
    if (input.classList.contains("is-invalid")) { wrapper.classList.add("is-invalid"); }
    var toggle = el("button", "khet-datepicker-toggle");
    toggle.type = "button";
    toggle.title = text.open;
    toggle.setAttribute("aria-label", text.open);
    toggle.setAttribute("aria-haspopup", "dialog");
    toggle.setAttribute("aria-expanded", "false");
    toggle.disabled = input.disabled || input.readOnly;
    toggle.appendChild(calendarIcon());
    input.parentNode.insertBefore(wrapper, input);
    wrapper.appendChild(input);
    wrapper.appendChild(toggle);
    toggle.addEventListener("click", function () {
      if (state && state.input === input) { close(false); } else { open(input, toggle); }
    });
  }

  function open(input, toggle) {
    close(false);
    var text = textOf(input);
    var selected = parse(input.value);
    var popup = el("div", "khet-datepicker-popup");
    popup.setAttribute("role", "dialog");
    popup.setAttribute("aria-label", text.dialog);
    state = { input: input, toggle: toggle, text: text, selected: selected, focused: selected || today(),
      popup: popup };
    toggle.setAttribute("aria-expanded", "true");
    toggle.parentNode.appendChild(popup);
    render(DAY);
  }

  function close(returnFocus) {
    if (!state) { return; }
    var closing = state;
    state = null;
    closing.popup.remove();
    closing.toggle.setAttribute("aria-expanded", "false");
    if (returnFocus) { closing.toggle.focus(); }
  }

  function choose(day) {
    var input = state.input;
    input.value = format(day, state.text);
    input.dispatchEvent(new Event("input", { bubbles: true }));
    input.dispatchEvent(new Event("change", { bubbles: true }));
    close(false);
    input.focus();
  }

  function navButton(className, label, symbol, months) {
    var button = el("button", "khet-datepicker-nav " + className, symbol);
    button.type = "button";
    button.title = label;
    button.setAttribute("aria-label", label);
    button.addEventListener("click", function () {
      state.focused = addMonths(state.focused, months);
      render(className);
    });
    return button;
  }

  function select(label, className, options, value, onChange) {
    var node = el("select", className);
    node.setAttribute("aria-label", label);
    options.forEach(function (option) {
      var item = el("option", null, option[1]);
      item.value = String(option[0]);
      node.appendChild(item);
    });
    node.value = String(value);
    node.addEventListener("change", function () { onChange(Number(node.value)); });
    return node;
  }

  function header(text, focused) {
    var thisYear = today().getFullYear();
    var first = Math.min(focused.getFullYear(), thisYear - YEARS_BACK);
    var last = Math.max(focused.getFullYear(), thisYear + YEARS_AHEAD);
    var years = [];
    for (var year = last; year >= first; year -= 1) {
      years.push([year, text.yearPrefix + (year + text.yearOffset)]);
    }
    var months = text.months.map(function (name, index) { return [index, name]; });
    var bar = el("div", "khet-datepicker-header");
    bar.appendChild(navButton("khet-datepicker-previous", text.previous, "‹", -1));
    bar.appendChild(select(text.month, "khet-datepicker-month", months, focused.getMonth(), function (month) {
      state.focused = addMonths(state.focused, month - state.focused.getMonth());
      render("khet-datepicker-month");
    }));
    bar.appendChild(select(text.year, "khet-datepicker-year", years, focused.getFullYear(), function (year) {
      state.focused = addMonths(state.focused, 12 * (year - state.focused.getFullYear()));
      render("khet-datepicker-year");
    }));
    bar.appendChild(navButton("khet-datepicker-next", text.next, "›", 1));
    return bar;
  }

  function dayButton(day, text) {
    var button = el("button", DAY, String(day.getDate()));
    button.type = "button";
    button.tabIndex = sameDay(day, state.focused) ? 0 : -1;
    button.setAttribute("aria-label", day.getDate() + " " + text.months[day.getMonth()] + " " +
      text.yearPrefix + (day.getFullYear() + text.yearOffset));
    button.setAttribute("aria-pressed", sameDay(day, state.selected) ? "true" : "false");
    if (sameDay(day, today())) { button.classList.add("is-today"); }
    button.addEventListener("click", function () { choose(day); });
    return button;
  }

  function grid(text, focused) {
    var table = el("div", "khet-datepicker-grid");
    table.setAttribute("role", "group");
    text.weekdays.forEach(function (name) { table.appendChild(el("span", "khet-datepicker-weekday", name)); });
    var first = new Date(focused.getFullYear(), focused.getMonth(), 1);
    for (var blank = 0; blank < first.getDay(); blank += 1) { table.appendChild(el("span")); }
    for (var day = first; day.getMonth() === first.getMonth(); day = addDays(day, 1)) {
      table.appendChild(dayButton(day, text));
    }
    return table;
  }

  function footer(text) {
    var bar = el("div", "khet-datepicker-footer");
    var pickToday = el("button", "khet-datepicker-today", text.today);
    pickToday.type = "button";
    pickToday.addEventListener("click", function () { choose(today()); });
    var dismiss = el("button", "khet-datepicker-close", text.close);
    dismiss.type = "button";
    dismiss.addEventListener("click", function () { close(true); });
    bar.appendChild(pickToday);
    bar.appendChild(dismiss);
    return bar;
  }

  // Draws the month of state.focused, then puts the focus back on the control that was used
  // (the redraw replaced it) or, for DAY, on the focused day.
  function render(focusClass) {
    var popup = state.popup;
    popup.replaceChildren(header(state.text, state.focused), grid(state.text, state.focused),
      footer(state.text));
    var target = popup.querySelector(focusClass === DAY ? "." + DAY + "[tabindex='0']" : "." + focusClass);
    if (target) { target.focus(); }
  }

  var KEY_STEPS = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -7, ArrowDown: 7 };

  function onKeydown(event) {
    if (event.key === "Escape") {
      event.preventDefault();
      close(true);
      return;
    }
    if (!state.popup.contains(event.target) || !event.target.classList.contains(DAY)) { return; }
    var step = KEY_STEPS[event.key];
    if (step) {
      state.focused = addDays(state.focused, step);
    } else if (event.key === "PageUp" || event.key === "PageDown") {
      state.focused = addMonths(state.focused, event.key === "PageUp" ? -1 : 1);
    } else {
      return;
    }
    event.preventDefault();
    render(DAY);
  }

  // A tap or click anywhere outside the open calendar and its field closes it.
  document.addEventListener("pointerdown", function (event) {
    if (state && !state.toggle.parentNode.contains(event.target)) { close(false); }
  });
  document.addEventListener("keydown", function (event) {
    if (state) { onKeydown(event); }
  });

  function enhanceAll(root) {
    root.querySelectorAll("input[data-khet-datepicker]").forEach(enhance);
  }

  enhanceAll(document);
  // Rows a page adds later (Flask-Admin's inline forms) get their picker too.
  new MutationObserver(function (records) {
    records.forEach(function (record) {
      record.addedNodes.forEach(function (node) {
        if (node.nodeType !== 1) { return; }
        if (node.matches("input[data-khet-datepicker]")) { enhance(node); } else { enhanceAll(node); }
      });
    });
  }).observe(document.body, { childList: true, subtree: true });
}());
