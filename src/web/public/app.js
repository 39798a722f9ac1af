// Progressive enhancement only: every page works without this file.
(() => {
  // A sign-in link carries the token in the fragment (#token=…), which browsers never send to a
  // server: fill it into the form, then drop it from the address bar and the history.
  const field = document.getElementById('token');
  const m = /^#token=([\w-]+)$/.exec(window.location.hash);
  if (field && m) {
    field.value = m[1];
    window.history.replaceState(null, '', window.location.pathname + window.location.search);
    field.form?.querySelector('button[type="submit"]')?.focus();
  }
})();
