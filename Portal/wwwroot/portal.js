// Small helpers the Portal calls from C#.
window.pgoPortal = {
  // The browser's time zone (IANA name, e.g. "Europe/Amsterdam"): the Portal shows every time in it.
  timeZone: function () {
    try { return Intl.DateTimeFormat().resolvedOptions().timeZone || null; } catch { return null; }
  },
  // Offers a file (e.g. the CSV export of "wie heeft wat bekeken") as a download.
  download: function (fileName, contentType, base64) {
    const link = document.createElement('a');
    link.href = 'data:' + contentType + ';base64,' + base64;
    link.download = fileName;
    document.body.appendChild(link);
    link.click();
    link.remove();
  }
};
