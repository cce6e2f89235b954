import { ACDC_LABELS } from '@myoseg/core';
import type { TwinAnatomy } from './anatomy';

const { rvCavity: RV, myocardium: MYO, lvCavity: LV } = ACDC_LABELS;
const TAU = 2 * Math.PI;

/** Smooth bump of half width `half` around angle 0: 1 at the centre, 0 from `half` on. */
function bump(delta: number, half: number): number {
  let d = Math.abs(((delta % TAU) + TAU) % TAU);
  if (d > Math.PI) d = TAU - d;
  return d >= half ? 0 : 0.5 * (1 + Math.cos((Math.PI * d) / half));
}

/** The heart's cross-section at one depth and contraction: the constants every pixel needs. */
interface HeartSection {
  /** Depth below the current valve plane, mm (negative: above the base). */
  depth: number;
  /** ED endocardial and epicardial radii before angular terms, mm. */
  endo0: number;
  epi0: number;
  /** Radius shrink factor at this contraction (1 - contraction · c). */
  shrink: number;
  /** Infarct weight at this depth (0–1). */
  infarct: number;
  /** Half angle of the basal opening (0: closed ring). */
  gapHalf: number;
  /** RV ellipse in the RV frame: centre along the septum axis, semi-axes; 0 depth: no RV. */
  rvDepth: number;
  rvCenter: number;
  rvAlong: number;
  rvAcross: number;
  /** Papillary muscles drawn at this depth. */
  papillary: boolean;
  /** Largest radius that may hold heart tissue. */
  extent: number;
}

function heartSection(a: TwinAnatomy, depthMm: number, c: number): HeartSection {
  const { lv, rv } = a;
  const base = c * lv.baseDescent;
  const depth = depthMm - base;
  const length = lv.length - base;
  const epiLength = length + 0.8 * lv.wall;
  // A bullet: nearly as wide at mid-ventricle as at the base, then closing towards the apex.
  const profile = (d: number, l: number) => (d >= 0 && d < l ? Math.sqrt(1 - (d / l) ** 3) : 0);
  const endo0 = lv.radius * profile(depth, length);
  const epi0 = (lv.radius + lv.wall) * profile(depth, epiLength);
  const rvLength = 0.85 * length;
  const rvDepth = rv.depth * profile(depth, rvLength) * (1 - rv.contraction * c);
  const septumEpi = Math.sqrt(
    (endo0 * (1 - lv.contraction * c)) ** 2 + (epi0 + lv.septalExtra) ** 2 - endo0 ** 2,
  );
  const inner = 0.2 * septumEpi;
  const outer = septumEpi + rvDepth;
  const band = 0.06 * lv.length + 2;
  return {
    depth,
    endo0,
    epi0,
    shrink: 1 - lv.contraction * c,
    infarct: lv.infarctWall > 0 ? Math.max(0, Math.min(1, (depth / length - 0.25) / 0.15)) : 0,
    gapHalf: depth >= 0 && depth < band ? (55 * Math.PI * (1 - depth / band)) / 180 : 0,
    rvDepth: rvDepth > 1 ? rvDepth : 0,
    rvCenter: (inner + outer) / 2,
    rvAlong: (outer - inner) / 2,
    rvAcross: rv.wrap * (septumEpi + 0.35 * rvDepth),
    papillary: a.papillary !== null && depth > 0.2 * length && depth < 0.75 * length,
    extent: lv.radius + lv.wall + lv.septalExtra + rv.depth + 20,
  };
}

/** One rendered slice before acquisition effects: clean intensities and exact labels, both `[H, W]`. */
export interface SceneSlice {
  intensity: Float32Array;
  labels: Uint8Array;
}

/**
 * Draws slice `k` of a patient at contraction `c` (0 = end-diastole, 1 = end-systole): labels from the
 * analytic heart (exact by construction), intensities from the labels plus unlabelled anatomy (body, lungs,
 * liver, aorta, spine, atria, outflow tract, RV free wall, pericardial fat, papillary muscles, trabeculae).
 */
export function drawScene(a: TwinAnatomy, k: number, c: number): SceneSlice {
  const [h, w] = a.size;
  const [, dy, dx] = a.spacing;
  const T = a.intensities;
  const s = heartSection(a, a.sliceDepthMm[k], c);
  const intensity = new Float32Array(h * w);
  const labels = new Uint8Array(h * w);
  const cosR = Math.cos(a.rotation);
  const sinR = Math.sin(a.rotation);
  const cosE = Math.cos(a.lv.ellipseAngle);
  const sinE = Math.sin(a.lv.ellipseAngle);
  const e = a.lv.ellipseRatio;
  const cosV = Math.cos(a.rv.angle);
  const sinV = Math.sin(a.rv.angle);
  const { body, liver, aorta, spine } = a;
  const [left, right] = a.lungs;
  const bodyMean = (body.a + body.b) / 2;
  const showLiver = a.sliceDepthMm[k] > a.liverFromDepthMm;
  const liverGrow = Math.min(1, (a.sliceDepthMm[k] - a.liverFromDepthMm) / 30 + 0.4);
  const wallLoss = a.lv.wall - a.lv.infarctWall;
  const gapAngle = a.rv.angle + (55 * Math.PI) / 180;
  const trab = a.render.trabeculae;

  for (let y = 0; y < h; y++) {
    const py = (y + 0.5) * dy - a.center[1];
    for (let x = 0; x < w; x++) {
      const px = (x + 0.5) * dx - a.center[0];
      const u = cosR * px + sinR * py;
      const v = -sinR * px + cosR * py;
      const i = y * w + x;

      // Surroundings.
      const q = ((u - body.cx) / body.a) ** 2 + ((v - body.cy) / body.b) ** 2;
      let value: number;
      if (q >= 1) value = T.air;
      else {
        const fromSkin = (1 - Math.sqrt(q)) * bodyMean;
        if (fromSkin < body.fat) value = T.fat;
        else if (fromSkin < body.fat + body.muscle) value = T.muscle;
        else {
          value = T.softTissue;
          if (showLiver && ((u - liver.cx) / liver.a) ** 2 + ((v - liver.cy) / liver.b) ** 2 < liverGrow) {
            value = T.liver;
          } else if (
            ((u - left.cx) / left.a) ** 2 + ((v - left.cy) / left.b) ** 2 < 1 ||
            ((u - right.cx) / right.a) ** 2 + ((v - right.cy) / right.b) ** 2 < 1
          ) {
            value = T.lung;
          }
          if ((u - aorta.cx) ** 2 + (v - aorta.cy) ** 2 < aorta.r ** 2) value = T.blood;
          else if ((u - spine.cx) ** 2 + (v - spine.cy) ** 2 < spine.r ** 2) value = 0.7 * T.softTissue;
        }
      }

      const r2 = u * u + v * v;
      if (r2 < s.extent * s.extent) {
        const theta = Math.atan2(v, u);
        if (s.depth < 0) {
          value = atriumValue(a, s.depth, u, v, value);
        } else {
          // LV in its elliptical frame (area-preserving stretch).
          const ue = (cosE * u + sinE * v) / e;
          const ve = (-sinE * u + cosE * v) * e;
          const r = Math.sqrt(ue * ue + ve * ve);
          const inf = s.infarct > 0 ? s.infarct * bump(theta - a.lv.infarctAngle, a.lv.infarctHalfWidth) : 0;
          const sept = a.lv.septalExtra * bump(theta - a.rv.angle, (50 * Math.PI) / 180);
          const endo0 = s.endo0 > 0 ? s.endo0 + 0.5 * wallLoss * inf : 0;
          const epi0 = s.epi0 > 0 ? s.epi0 + sept - 0.5 * wallLoss * inf : 0;
          const endo = endo0 * (1 - (1 - s.shrink) * (1 - inf));
          const epi = Math.sqrt(Math.max(0, endo * endo + epi0 * epi0 - endo0 * endo0));
          // RV crescent outside the LV epicardium.
          const along = u * cosV + v * sinV;
          const across = -u * sinV + v * cosV;
          const rvQ =
            s.rvDepth > 0
              ? ((along - s.rvCenter) / s.rvAlong) ** 2 + (across / s.rvAcross) ** 2
              : Number.POSITIVE_INFINITY;
          const rvWall = (1 + 3 / s.rvAlong) ** 2;
          if (r < endo) {
            labels[i] = LV;
            value = T.blood;
            if (trab > 0 && endo - r < 3.5) {
              const stripe = 0.5 + 0.5 * Math.sin(11 * theta + a.trabeculaPhase + 0.15 * s.depth);
              if (stripe > 0.55) {
                const t = trab * ((stripe - 0.55) / 0.45) * (1 - (endo - r) / 3.5);
                value = T.blood * (1 - t) + T.myocardium * t;
              }
            }
            if (s.papillary && a.papillary) {
              const pr = Math.max(2.5, 0.17 * s.endo0 * (1.4 - s.shrink * 0.4));
              for (const angle of a.papillary) {
                const pu = 0.6 * endo * Math.cos(angle);
                const pv = 0.6 * endo * Math.sin(angle);
                if ((u - pu) ** 2 + (v - pv) ** 2 < pr * pr) value = T.myocardium;
              }
            }
          } else if (r < epi) {
            if (s.gapHalf > 0 && bump(theta - gapAngle, s.gapHalf) > 0) {
              value = T.blood;
            } else {
              labels[i] = MYO;
              value = T.myocardium;
            }
          } else if (rvQ < 1) {
            labels[i] = RV;
            value = T.blood;
            const edge = 1 - Math.sqrt(rvQ);
            if (trab > 0 && edge < 0.15 && Math.sin(9 * theta + a.trabeculaPhase) > 0.3) {
              value = T.blood * (1 - 0.6 * trab) + T.myocardium * 0.6 * trab;
            }
          } else if (rvQ < rvWall) {
            value = T.myocardium;
          } else if (epi > 0 && r < epi + 2.5 * (0.5 + 0.5 * Math.sin(3 * theta + a.trabeculaPhase))) {
            value = T.fat;
          }
        }
      }
      intensity[i] = value;
    }
  }
  return { intensity, labels };
}

/** Above the valve plane: atria, aortic root and RV outflow, all blood and unlabelled. */
function atriumValue(a: TwinAnatomy, depth: number, u: number, v: number, value: number): number {
  if (depth < -30) return value;
  const fade = Math.sqrt(1 - (depth / 30) ** 2);
  const R = a.lv.radius;
  const la = 0.9 * R * fade;
  if (u * u + (v - 0.5 * R) ** 2 < la * la) return a.intensities.blood;
  const aortaAngle = a.rv.angle + 1.3;
  const ax = 0.35 * R * Math.cos(aortaAngle);
  const ay = 0.35 * R * Math.sin(aortaAngle);
  if ((u - ax) ** 2 + (v - ay) ** 2 < 144) return a.intensities.blood;
  const rd = R + 14;
  const rx = rd * Math.cos(a.rv.angle + 0.35);
  const ry = rd * Math.sin(a.rv.angle + 0.35);
  if ((u - rx) ** 2 + (v - ry) ** 2 < (0.7 * R * fade) ** 2) return a.intensities.blood;
  if ((u - ax) ** 2 + (v - ay) ** 2 < 15 ** 2 * 1.2) return a.intensities.myocardium;
  return value;
}
