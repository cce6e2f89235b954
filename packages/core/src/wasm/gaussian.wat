;; The separable blur of gaussianBlur (../gaussian.ts, blurSeparableJs) with SIMD: the two f64 lanes of a v128
;; hold neighbouring columns, so every output is still k[0]·v₀ + k[1]·(v₋₁ + v₊₁) + … + k[r]·(v₋ᵣ + v₊ᵣ), summed
;; in f64 in that order and rounded once to f32: the same operations as the JS path, bit for bit.
;; Build: node scripts/build-wasm.mjs (writes gaussian-wasm.generated.ts, which the package ships).
(module
  (memory (export "memory") 1)

  ;; Writes the n f32 outputs at byte address out. The input lines are f32 rows whose byte addresses are
  ;; stored at tab + 4·(r + j), j = −r…r: line j is read at offset j from the output. k holds the r + 1 f64
  ;; weights from the centre outwards.
  (func $correlateLine (param $tab i32) (param $out i32) (param $n i32) (param $k i32) (param $r i32)
    (local $x i32) (local $end i32) (local $mid i32) (local $t i32) (local $last i32) (local $kp i32)
    (local $lo i32) (local $hi i32) (local $k0 f64) (local $s f64)
    (local $kt v128) (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128)
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (local.set $mid (i32.add (local.get $tab) (i32.shl (local.get $r) (i32.const 2))))
    (local.set $last (i32.shl (local.get $r) (i32.const 2)))
    (local.set $k0 (f64.load (local.get $k)))
    ;; eight outputs at a time in four f64x2 sums (x, t and last are byte offsets)
    (block $done8
      (loop $eight
        (br_if $done8 (i32.gt_u (i32.add (local.get $x) (i32.const 32)) (local.get $end)))
        (local.set $lo (i32.add (i32.load (local.get $mid)) (local.get $x)))
        (local.set $kt (f64x2.splat (local.get $k0)))
        (local.set $s0 (f64x2.mul (local.get $kt)
          (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $lo)))))
        (local.set $s1 (f64x2.mul (local.get $kt)
          (f64x2.promote_low_f32x4 (v128.load64_zero offset=8 (local.get $lo)))))
        (local.set $s2 (f64x2.mul (local.get $kt)
          (f64x2.promote_low_f32x4 (v128.load64_zero offset=16 (local.get $lo)))))
        (local.set $s3 (f64x2.mul (local.get $kt)
          (f64x2.promote_low_f32x4 (v128.load64_zero offset=24 (local.get $lo)))))
        (local.set $t (i32.const 4))
        (local.set $kp (i32.add (local.get $k) (i32.const 8)))
        (loop $taps8
          (local.set $kt (v128.load64_splat (local.get $kp)))
          (local.set $lo (i32.add (i32.load (i32.sub (local.get $mid) (local.get $t))) (local.get $x)))
          (local.set $hi (i32.add (i32.load (i32.add (local.get $mid) (local.get $t))) (local.get $x)))
          (local.set $s0 (f64x2.add (local.get $s0) (f64x2.mul (local.get $kt) (f64x2.add
            (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $lo)))
            (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $hi)))))))
          (local.set $s1 (f64x2.add (local.get $s1) (f64x2.mul (local.get $kt) (f64x2.add
            (f64x2.promote_low_f32x4 (v128.load64_zero offset=8 (local.get $lo)))
            (f64x2.promote_low_f32x4 (v128.load64_zero offset=8 (local.get $hi)))))))
          (local.set $s2 (f64x2.add (local.get $s2) (f64x2.mul (local.get $kt) (f64x2.add
            (f64x2.promote_low_f32x4 (v128.load64_zero offset=16 (local.get $lo)))
            (f64x2.promote_low_f32x4 (v128.load64_zero offset=16 (local.get $hi)))))))
          (local.set $s3 (f64x2.add (local.get $s3) (f64x2.mul (local.get $kt) (f64x2.add
            (f64x2.promote_low_f32x4 (v128.load64_zero offset=24 (local.get $lo)))
            (f64x2.promote_low_f32x4 (v128.load64_zero offset=24 (local.get $hi)))))))
          (local.set $kp (i32.add (local.get $kp) (i32.const 8)))
          (local.set $t (i32.add (local.get $t) (i32.const 4)))
          (br_if $taps8 (i32.le_u (local.get $t) (local.get $last))))
        (local.set $lo (i32.add (local.get $out) (local.get $x)))
        (v128.store64_lane 0 (local.get $lo) (f32x4.demote_f64x2_zero (local.get $s0)))
        (v128.store64_lane offset=8 0 (local.get $lo) (f32x4.demote_f64x2_zero (local.get $s1)))
        (v128.store64_lane offset=16 0 (local.get $lo) (f32x4.demote_f64x2_zero (local.get $s2)))
        (v128.store64_lane offset=24 0 (local.get $lo) (f32x4.demote_f64x2_zero (local.get $s3)))
        (local.set $x (i32.add (local.get $x) (i32.const 32)))
        (br $eight)))
    ;; the last n mod 8 outputs one at a time
    (block $done1
      (loop $one
        (br_if $done1 (i32.ge_u (local.get $x) (local.get $end)))
        (local.set $s (f64.mul (local.get $k0)
          (f64.promote_f32 (f32.load (i32.add (i32.load (local.get $mid)) (local.get $x))))))
        (local.set $t (i32.const 4))
        (local.set $kp (i32.add (local.get $k) (i32.const 8)))
        (loop $taps1
          (local.set $s (f64.add (local.get $s) (f64.mul (f64.load (local.get $kp)) (f64.add
            (f64.promote_f32 (f32.load
              (i32.add (i32.load (i32.sub (local.get $mid) (local.get $t))) (local.get $x))))
            (f64.promote_f32 (f32.load
              (i32.add (i32.load (i32.add (local.get $mid) (local.get $t))) (local.get $x))))))))
          (local.set $kp (i32.add (local.get $kp) (i32.const 8)))
          (local.set $t (i32.add (local.get $t) (i32.const 4)))
          (br_if $taps1 (i32.le_u (local.get $t) (local.get $last))))
        (f32.store (i32.add (local.get $out) (local.get $x)) (f32.demote_f64 (local.get $s)))
        (local.set $x (i32.add (local.get $x) (i32.const 4)))
        (br $one))))

  ;; Blurs an h × w image with the kernel of radius r ≥ 1 whose weights from the centre outwards are at k
  ;; (f64). All pointers are byte addresses: rows[j] (i32) is that of image row j − r, or of a row of cval, for
  ;; j = 0…h+2r−1; pad is a row of w + 2r f32 whose cells r…r+w−1 hold the current row after the column pass;
  ;; padTab[j] = pad + 4j for j = 0…2r; cols[j] (i32) is the address that pad[j] is copied from for the r edge
  ;; cells on each side; dst receives the h × w f32 result.
  (func (export "blur") (param $rows i32) (param $cols i32) (param $padTab i32) (param $pad i32) (param $dst i32)
    (param $k i32) (param $r i32) (param $h i32) (param $w i32)
    (local $y i32) (local $j i32) (local $padEnd i32)
    (local.set $padEnd (i32.add (local.get $w) (i32.shl (local.get $r) (i32.const 1))))
    (block $done
      (loop $row
        (br_if $done (i32.ge_u (local.get $y) (local.get $h)))
        ;; axis 0 into the middle of pad
        (call $correlateLine
          (i32.add (local.get $rows) (i32.shl (local.get $y) (i32.const 2)))
          (i32.add (local.get $pad) (i32.shl (local.get $r) (i32.const 2)))
          (local.get $w) (local.get $k) (local.get $r))
        ;; its edges: j = 0…r−1, then w+r…w+2r−1
        (local.set $j (i32.const 0))
        (loop $edge
          (f32.store (i32.add (local.get $pad) (i32.shl (local.get $j) (i32.const 2)))
            (f32.load (i32.load (i32.add (local.get $cols) (i32.shl (local.get $j) (i32.const 2))))))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (if (i32.eq (local.get $j) (local.get $r))
            (then (local.set $j (i32.add (local.get $j) (local.get $w)))))
          (br_if $edge (i32.lt_u (local.get $j) (local.get $padEnd))))
        ;; axis 1 into row y of dst
        (call $correlateLine (local.get $padTab)
          (i32.add (local.get $dst) (i32.shl (i32.mul (local.get $y) (local.get $w)) (i32.const 2)))
          (local.get $w) (local.get $k) (local.get $r))
        (local.set $y (i32.add (local.get $y) (i32.const 1)))
        (br $row)))))
