"""The chat app's CSS and its scripts: citation clicks open the article panel, which scrolls to the quote; the page
is marked as German (Gradio's page says English), so that a screen reader reads it as German."""

PAGE_JS = "() => { document.documentElement.lang = 'de'; }"

CSS = """
.ac-quote { border-left: 4px solid #3b82f6; margin: 0 0 0.6em 0; padding: 0.3em 0.8em; }
.ac-cite { display: block; font-size: 0.85em; font-style: normal; opacity: 0.8; margin-top: 0.3em; }
.ac-cite-link { color: inherit; text-decoration: underline dotted; cursor: pointer; }
.ac-passage-head { font-size: 0.85em; font-weight: 600; margin-bottom: 0.2em; }
.ac-passage mark, .ac-article mark { background: #fde68a; color: #1c1917; }  /* dark text in dark mode too */
.ac-abstain { font-style: italic; }
#ac-notice p { color: #b45309; margin: 0.2em 0; }
.ac-left-out { font-size: 0.85em; border-left: 4px solid #f59e0b; padding-left: 0.6em; }
.ac-nearest summary { font-size: 0.85em; }
#ac-panel { position: relative; min-height: 12em; }
#ac-panel .ac-scroll { position: absolute; inset: 0; overflow-y: auto; padding: 0 12px; }
.ac-article-title { margin-bottom: 0.1em; }
.ac-article-title, .ac-article-source, .ac-cite, .ac-passage-head { overflow-wrap: anywhere; }  /* long file names */
.ac-article-source, .ac-dateline, .ac-panel-hint { font-size: 0.85em; opacity: 0.75; margin: 0.2em 0; }
@media (min-width: 701px) {
  #ac-row { min-height: 0; }
  #ac-chat-col, #ac-side-col { display: flex; flex-direction: column; min-height: 0; }
  #ac-chat { flex: 1 1 0 !important; min-height: 14em; height: auto !important; max-height: none !important; }
  #ac-chat-col > .form, #ac-chat-col > #ac-examples, #ac-chat-col > #ac-notice { flex: 0 0 auto !important; }
  /* Gradio's containers grow with their content, so the side column cannot shrink it: a long status scrolls */
  #ac-side-col > #ac-index { flex: 0 0 auto !important; max-height: 45vh; overflow-y: auto; }
  #ac-panel { flex: 1 1 0; min-height: 16em; }
}
@media (max-width: 700px) {
  #ac-chat { height: calc(100svh - 240px) !important; }  /* leaves the heading and the question box in view */
  #ac-panel { height: 75svh; }
  #ac-panel:has(.ac-panel-hint) { height: 7em; min-height: 7em; }  /* no article open yet: no empty screen */
}
"""

# Runs once per page for the panel (gr.HTML's js_on_load): one click listener for the whole document catches
# citation links (the chat's sanitizer keeps only their href, so everything is read from it), puts the citation's
# address in the address bar and fires the panel's "cite" event, as a new fragment of a `?source=` address and a step
# back or forward do; each new panel value scrolls its first mark into view.
PANEL_JS = r"""
window.__acTrigger = trigger;
if (!window.__acCiteInstalled) {
  window.__acCiteInstalled = true;
  document.addEventListener('click', (event) => {
    const link = event.target.closest ? event.target.closest('a.ac-cite-link') : null;
    if (!link) return;
    event.preventDefault();
    event.stopPropagation();
    const url = new URL(link.getAttribute('href'), location.href);
    history.pushState(null, '', url.href);  // the address names the open article: to share, reload, go back
    window.__acTrigger('cite', {source: url.searchParams.get('source'), fragment: url.hash});
  }, true);
  const openFromAddress = () => {
    const url = new URL(location.href);
    const source = url.searchParams.get('source');
    if (source) window.__acTrigger('cite', {source: source, fragment: url.hash});
  };
  // another shared citation opened in the same tab changes only the fragment: the page does not load again;
  // back and forward between opened citations stay on the page too
  window.addEventListener('hashchange', openFromAddress);
  window.addEventListener('popstate', openFromAddress);
}
const scrollToMark = () => {
  const mark = element.querySelector('mark');
  if (!mark) return;
  const box = element.querySelector('.ac-scroll') || element;
  box.scrollTop += mark.getBoundingClientRect().top - box.getBoundingClientRect().top - box.clientHeight / 3;
  if (window.innerWidth < 700) mark.scrollIntoView({block: 'center'});
};
watch('value', scrollToMark);
scrollToMark();
"""
