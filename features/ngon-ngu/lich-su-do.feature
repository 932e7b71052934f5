# language: vi
Tính năng: Lịch sử đo của chỉ tiêu: previous_actual, missed_in_a_row, kỳ đo
  Kết quả đo chỉ được tính cho chỉ tiêu khi kỳ đo nằm trong kỳ của chỉ tiêu (mặc định: kỳ của
  kế hoạch). Kỳ trước là kỳ liền trước cùng độ dài (quý trước, tháng trước); missed_in_a_row
  đếm số kỳ liên tiếp không đạt, tính ngược từ kỳ đo gần nhất, dừng ở kỳ đạt hoặc kỳ không đo.

  Bối cảnh:
    Cho ngày kiểm tra là 22/11/2026
    Và kế hoạch năm 2026
    Và các chỉ tiêu:
      | Mã   | Chỉ tiêu                               | So sánh | Giá trị | Đơn vị tính |
      | CT01 | Mức độ hài lòng từ 90% trở lên         | >=      | 90      | %           |
    Và quy tắc:
      """
      id: hai-quy-lien-tiep
      title: Chỉ tiêu không đạt hai kỳ liên tiếp
      fact: target
      scope: is_reduction == false
      condition: missed_in_a_row >= 2
      severity: cảnh báo
      message: >-
        Chỉ tiêu {{ target }} không đạt {{ missed_in_a_row }} kỳ liên tiếp (kỳ {{ measured_period }}:
        {{ actual }}{{ measure }}, kỳ {{ previous_period }}: {{ previous_actual }}{{ measure }}).
      """

  Kịch bản: Không đạt quý II và quý III thì bị nêu, kèm kết quả quý trước
    Cho các kết quả đo:
      | Mã   | Kỳ      | Kết quả | Ngày đo    |
      | CT01 | 2026-Q1 | 92      | 05/04/2026 |
      | CT01 | 2026-Q2 | 88      | 05/07/2026 |
      | CT01 | 2026-Q3 | 87      | 05/10/2026 |
    Khi kiểm tra theo quy tắc "hai-quy-lien-tiep"
    Thì có phát hiện vi phạm cho chỉ tiêu "CT01"
    Và giá trị "missed_in_a_row" là 2
    Và giá trị "previous_actual" là 88
    Và giá trị "previous_period" là "2026-Q2"
    Và câu thông báo có "không đạt 2 kỳ liên tiếp (kỳ quý III/2026: 87%, kỳ quý II/2026: 88%)"

  Kịch bản: Quý gần nhất đạt thì chuỗi không đạt dừng lại
    Cho các kết quả đo:
      | Mã   | Kỳ      | Kết quả | Ngày đo    |
      | CT01 | 2026-Q2 | 88      | 05/07/2026 |
      | CT01 | 2026-Q3 | 90      | 05/10/2026 |
    Khi kiểm tra theo quy tắc "hai-quy-lien-tiep"
    Thì không có phát hiện nào

  Kịch bản: Một quý không đo thì không tính là liên tiếp
    Cho các kết quả đo:
      | Mã   | Kỳ      | Kết quả | Ngày đo    |
      | CT01 | 2026-Q1 | 85      | 05/04/2026 |
      | CT01 | 2026-Q3 | 87      | 05/10/2026 |
    Khi kiểm tra theo quy tắc "hai-quy-lien-tiep"
    Thì không có phát hiện nào

  Kịch bản: Kết quả đo sau ngày kiểm tra chưa được tính
    Cho ngày kiểm tra là 04/10/2026
    Và các kết quả đo:
      | Mã   | Kỳ      | Kết quả | Ngày đo    |
      | CT01 | 2026-Q1 | 85      | 05/04/2026 |
      | CT01 | 2026-Q2 | 88      | 05/07/2026 |
      | CT01 | 2026-Q3 | 95      | 05/10/2026 |
    Khi kiểm tra theo quy tắc "hai-quy-lien-tiep"
    Thì có phát hiện vi phạm cho chỉ tiêu "CT01"
    Và giá trị "measured_period" là "2026-Q2"

  Kịch bản: Giảm so với kỳ trước
    Cho quy tắc:
      """
      id: giam-so-voi-ky-truoc
      title: Kết quả giảm so với kỳ trước
      fact: target
      condition: actual < previous_actual
      severity: nhắc nhở
      message: Chỉ tiêu {{ target }} giảm từ {{ previous_actual }} xuống {{ actual }}.
      """
    Và các kết quả đo:
      | Mã   | Kỳ      | Kết quả | Ngày đo    |
      | CT01 | 2026-09 | 93      | 05/10/2026 |
      | CT01 | 2026-10 | 91      | 05/11/2026 |
    Khi kiểm tra theo quy tắc "giam-so-voi-ky-truoc"
    Thì có phát hiện vi phạm cho chỉ tiêu "CT01"
    Và câu thông báo có "giảm từ 93 xuống 91"

  Kịch bản: Không có kết quả kỳ trước là thiếu dữ liệu
    Cho quy tắc:
      """
      id: giam-so-voi-ky-truoc
      title: Kết quả giảm so với kỳ trước
      fact: target
      condition: actual < previous_actual
      severity: nhắc nhở
      message: Chỉ tiêu {{ target }} giảm.
      """
    Và các kết quả đo:
      | Mã   | Kỳ      | Kết quả | Ngày đo    |
      | CT01 | 2026-10 | 91      | 05/11/2026 |
    Khi kiểm tra theo quy tắc "giam-so-voi-ky-truoc"
    Thì có phát hiện thiếu dữ liệu "previous_actual" cho chỉ tiêu "CT01"

  Kịch bản: Kết quả đo của năm trước không được tính cho chỉ tiêu năm nay
    Cho các kết quả đo:
      | Mã   | Kỳ      | Kết quả | Ngày đo    |
      | CT01 | 2025-Q4 | 80      | 05/01/2026 |
    Khi kiểm tra theo quy tắc "chi-tieu-toi-thieu"
    Thì có phát hiện thiếu dữ liệu "actual" cho chỉ tiêu "CT01"

  Kịch bản: Chỉ tiêu của một quý chỉ tính kết quả đo của quý đó
    Cho các chỉ tiêu:
      | Mã   | Chỉ tiêu                          | So sánh | Giá trị | Đơn vị tính | Kỳ      |
      | CT02 | Quý III đạt tối thiểu 80%         | >=      | 80      | %           | 2026-Q3 |
    Và các kết quả đo:
      | Mã   | Kỳ      | Kết quả | Ngày đo    |
      | CT01 | 2026-10 | 95      | 05/11/2026 |
      | CT02 | 2026-09 | 75      | 05/10/2026 |
      | CT02 | 2026-10 | 85      | 05/11/2026 |
    Khi kiểm tra theo quy tắc "chi-tieu-toi-thieu"
    Thì có phát hiện vi phạm cho chỉ tiêu "CT02"
    Và giá trị "actual" là 75
    Và giá trị "measured_period" là "2026-09"
