// Small helpers the Portal calls from C#.
window.pgoPortal = {
  // The browser's time zone (IANA name, e.g. "Europe/Amsterdam"): the Portal shows every time in it.
  timeZone: function () {
    try { return Intl.DateTimeFormat().resolvedOptions().timeZone || null; } catch { return null; }
  },
  // Brings the item a link pointed at (the address's #fragment) into view and focus, once the screen has loaded it.
  reveal: function (id) {
    const target = document.getElementById(id);
    if (!target) return false;
    if (!target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1');
    target.classList.add('pgo-target');
    target.scrollIntoView({ block: 'center' });
    target.focus({ preventScroll: true });
    return true;
  },
  // Offers a file (e.g. the CSV export of "wie heeft wat bekeken") as a download.
  download: function (fileName, contentType, base64) {
    const link = document.createElement('a');
    link.href = 'data:' + contentType + ';base64,' + base64;
    link.download = fileName;
    document.body.appendChild(link);
    link.click();
    link.remove();
  },
  // Focuses an element once it can take focus, and again if the dialog's focus trap then parks the focus on its own
  // (non-interactive) holder: a dialog's button is still hidden while the dialog opens. Stops after three seconds, and
  // never takes the focus from a control the person moved to.
  focusWhenShown: function (selector) {
    let tries = 0;
    const attempt = function () {
      const element = document.querySelector(selector);
      const active = document.activeElement;
      const dialog = element && element.closest('[role=dialog], .mud-dialog-container');
      const onControl = dialog && active && active !== element && dialog.contains(active) && active.matches('button, a[href], input, select, textarea');
      if (element && !onControl && active !== element && element.getClientRects().length > 0) element.focus();
      if (!onControl && ++tries < 60) setTimeout(attempt, 50);
    };
    attempt();
  }
};

// i16 search-print: prints the document in a same-origin frame (the handover screen frames the Api's handover page).
window.pgoPortal.printFrame = function (id) {
  const frame = document.getElementById(id);
  if (!frame || !frame.contentWindow) return;
  frame.contentWindow.focus();
  frame.contentWindow.print();
};
