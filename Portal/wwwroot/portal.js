// Small helpers the Portal calls from C#.
window.pgoPortal = {
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

// i16 search-print: prints the document in a same-origin frame (the handover screen frames the Api's handover page).
window.pgoPortal.printFrame = function (id) {
  const frame = document.getElementById(id);
  if (!frame || !frame.contentWindow) return;
  frame.contentWindow.focus();
  frame.contentWindow.print();
};
