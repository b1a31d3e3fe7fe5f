// vendor.js - the npm libraries served under /vendor/ (d3, topojson-client,
// world-atlas), loaded once on the pages that draw charts and maps. Plain
// script elements from our own origin: the strict CSP holds.
const loaded = {};

function script(src) {
  if (!loaded[src]) {
    loaded[src] = new Promise((resolve, reject) => {
      const s = document.createElement('script');
      s.src = src;
      s.onload = resolve;
      s.onerror = () => reject(new Error(`could not load ${src}`));
      document.head.appendChild(s);
    });
  }
  return loaded[src];
}

export async function d3() {
  await script('/vendor/d3/dist/d3.min.js');
  return window.d3;
}

let world = null;
export async function worldCountries() {
  await script('/vendor/topojson-client/dist/topojson-client.min.js');
  if (!world) {
    const topo = await fetch('/vendor/world-atlas/countries-110m.json').then((r) => r.json());
    world = window.topojson.feature(topo, topo.objects.countries);
  }
  return world;
}
